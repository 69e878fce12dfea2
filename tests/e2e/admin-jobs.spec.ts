// The administrators' jobs page (/samordnare/admin/jobb): a coordinator is refused; the
// administrator reaches it from the coordinator bar, sees that no mail server is configured (the
// e2e server has none, so an urgent report's mail fails at once: e2e.sh sets a zero back-off),
// sees the failed job without any report content, retries it, and axe finds nothing in Swedish
// and English, also at 360 px.
import { test, expect, type Browser } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { open, expectNoAxeViolations, coordinatorApi, signedInState, useLanguage } from './helpers';

async function signedInPage(browser: Browser, who: 'coordinator' | 'admin') {
  const context = await browser.newContext({ baseURL: process.env.BASE_URL, storageState: await signedInState(who) });
  return { context, page: await context.newPage() };
}

test('the administrator sees failed mail jobs without report content and the missing mail server, and retries one', async ({ browser }) => {
  const marker = `Jobbmarkör ${Date.now()}`;
  const api = await coordinatorApi();
  // Violence is urgent at intake: its mail job is enqueued with the report.
  const res = await api.post('/api/reports', {
    headers: { 'Idempotency-Key': randomUUID() },
    data: {
      kind: 'violence',
      channel: 'in_person',
      occurred_at: new Date(Date.now() - 3600_000).toISOString(),
      description: marker,
      location: marker,
      role: 'healthcare',
      identity: 'anonymous',
    },
  });
  expect(res.status()).toBe(201);
  await api.dispose();

  const coordinator = await signedInPage(browser, 'coordinator');
  await open(coordinator.page, '/samordnare/admin/jobb');
  await expect(coordinator.page.getByRole('alert')).toHaveText('Den här sidan är bara för administratörer.');
  await expect(coordinator.page.getByTestId('job-row')).toHaveCount(0);
  await coordinator.context.close();

  const { context, page } = await signedInPage(browser, 'admin');
  // Administration is one link in the bar; the hub leads on to the jobs.
  await open(page, '/samordnare/inkorg');
  await page.getByRole('navigation', { name: 'Samordnarmeny' }).getByRole('link', { name: 'Administration' }).click();
  await page.getByRole('main').getByRole('link', { name: 'Jobb', exact: true }).click();
  await expect(page).toHaveURL(/\/samordnare\/admin\/jobb$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Jobb som misslyckats');
  await expect(page.getByTestId('smtp-state')).toContainText('Ingen e-postserver är inställd');
  // The job fails within moments (no mail server, zero back-off); reload until it shows.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('job-row').first()).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  const row = page.getByTestId('job-row').filter({ hasText: 'E-post: brådskande rapport' }).first();
  await expect(row).toContainText('8/8');
  await expect(page.locator('main')).not.toContainText(marker);
  await expectNoAxeViolations(page);

  await row.getByRole('button', { name: /^Försök igen: E-post: brådskande rapport$/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Jobbet ligger i kön igen.' })).toBeVisible();

  await useLanguage(page, 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Failed jobs');
  await expect(page.getByTestId('smtp-state')).toContainText('No mail server is configured');
  await expectNoAxeViolations(page);

  await page.setViewportSize({ width: 360, height: 740 });
  await expectNoAxeViolations(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await context.close();
});
