// The safety check-in (issue 19): start one at /incheckning, reload and the countdown goes on,
// check in; an anonymous start is refused next to the fields, saying why; "I am safe" without a
// network is kept on the phone and delivered when the network returns; axe finds nothing in either
// language at 360 px; the coordinators' page opens; each app's manifest and icons load.
import { test, expect, type Page } from '@playwright/test';
import { open, expectNoAxeViolations, signedInState, useLanguage } from './helpers';

test.use({ viewport: { width: 360, height: 740 } });

/** Seconds shown by the countdown (`m:ss` or `h:mm:ss`). */
async function shownSeconds(page: Page): Promise<number> {
  const text = (await page.locator('.checkin-countdown').textContent()) ?? '';
  return text.split(':').map(Number).reduce((acc, n) => acc * 60 + n, 0);
}

async function startCheckin(page: Page, name = 'Eva Ek') {
  await open(page, '/incheckning');
  await page.locator('#reporter_name').fill(name);
  await page.locator('#reporter_phone').fill('070-123 45 67');
  await page.locator('#location').fill('Hembesök, Storgatan 1');
  await page.locator('#checkin-in-30').check();
  await page.locator('main form button[type="submit"]').click();
  await expect(page.locator('.checkin-countdown')).toBeVisible();
}

test('a check-in starts, survives a reload with its countdown, and ends with I am safe', async ({ page }) => {
  await startCheckin(page);
  const first = await shownSeconds(page);
  expect(first).toBeGreaterThan(29 * 60);
  expect(first).toBeLessThanOrEqual(30 * 60);
  await expectNoAxeViolations(page);
  await page.waitForTimeout(1500);
  await page.reload();
  await expect(page.locator('.checkin-countdown')).toBeVisible();
  const after = await shownSeconds(page);
  expect(after).toBeLessThan(first);
  expect(after).toBeGreaterThan(28 * 60);
  await page.getByRole('button', { name: 'Jag är i säkerhet' }).click();
  await expect(page.locator('main [role="status"]')).toContainText('du har checkat in');
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem('trygg.checkin.v1') ?? '{}').token);
  const res = await page.request.get('/api/checkin', { headers: { 'x-checkin-token': token } });
  expect((await res.json()).state).toBe('safe');
});

test('an anonymous person is told next to each field why a name and a phone are needed', async ({ page }) => {
  await open(page, '/incheckning');
  await page.locator('main form button[type="submit"]').click();
  await expect(page.locator('#reporter_name-error')).toContainText('så att någon kan nå dig');
  await expect(page.locator('#reporter_phone-error')).toContainText('så att någon kan nå dig');
  await expect(page.locator('#reporter_name')).toBeFocused();
  await expectNoAxeViolations(page);
  await useLanguage(page, 'en');
  await page.locator('main form button[type="submit"]').click();
  await expect(page.locator('#reporter_name-error')).toContainText('so that someone can reach you');
  await expectNoAxeViolations(page);
});

test('I am safe without a network is kept and delivered when the network returns', async ({ page, context }) => {
  await startCheckin(page, 'Olle Offline');
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Jag är i säkerhet' }).click();
  await expect(page.locator('main [role="status"]')).toContainText('Ingen uppkoppling');
  const kept = await page.evaluate(() => JSON.parse(localStorage.getItem('trygg.checkin.v1') ?? '{}'));
  expect(kept.safe_queued).toBe(true);
  await context.setOffline(false);
  await expect(page.locator('main [role="status"]')).toContainText('du har checkat in', { timeout: 20_000 });
  const res = await page.request.get('/api/checkin', { headers: { 'x-checkin-token': kept.token } });
  expect((await res.json()).state).toBe('safe');
});

test('the coordinators page of missed check-ins opens without violations', async ({ browser }) => {
  const context = await browser.newContext({
    baseURL: process.env.BASE_URL,
    viewport: { width: 360, height: 740 },
    storageState: await signedInState('coordinator'),
  });
  const page = await context.newPage();
  await open(page, '/samordnare/incheckningar');
  await expect(page.locator('main h1')).toHaveText('Missade incheckningar');
  await expectNoAxeViolations(page);
  await context.close();
});

test('each app has a manifest served as application/manifest+json whose icons load, and a favicon', async ({ page, request }) => {
  // A missing favicon is a 404 in the console on every first visit (Lighthouse's best practices).
  const missing: string[] = [];
  page.on('response', (r) => r.status() === 404 && missing.push(r.url()));
  for (const [html, manifest] of [
    ['/', '/manifest.webmanifest'],
    ['/incheckning', '/manifest.webmanifest'],
    ['/samordnare/logga-in', '/samordnare/manifest.webmanifest'],
  ]) {
    await page.goto(html);
    await expect(page.locator('link[rel="manifest"]')).toHaveAttribute('href', manifest);
    const favicon = await request.get((await page.locator('link[rel="icon"]').getAttribute('href'))!);
    expect(favicon.status()).toBe(200);
    expect(favicon.headers()['content-type']).toBe('image/svg+xml');
    const res = await request.get(manifest);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('application/manifest+json');
    const m = await res.json();
    expect(m.display).toBe('standalone');
    for (const icon of m.icons) {
      const png = await request.get(icon.src);
      expect(png.status(), icon.src).toBe(200);
      expect(png.headers()['content-type']).toBe('image/png');
    }
  }
  expect((await request.get('/icons/apple-touch-icon.png')).status()).toBe(200);
  expect(missing).toEqual([]);
});
