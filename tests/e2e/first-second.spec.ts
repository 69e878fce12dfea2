// The first second (issue 15): before any script has run — on a slow network, or with JavaScript
// blocked — the page already shows the app's name, a working "Ring 112" link and a calm
// placeholder of the page; the app takes its place when it is ready, with the same header.
import { test, expect } from '@playwright/test';
import { open } from './helpers';

test.describe('with JavaScript blocked', () => {
  test.use({ javaScriptEnabled: false });

  for (const [path, heading] of [
    ['/', 'Vad behöver du nu?'],
    ['/rapport', 'Rapportera en händelse'],
  ] as const) {
    test(`${path} shows the name, the page's heading and a working 112 link`, async ({ page }) => {
      await page.goto(path);
      await expect(page.getByRole('link', { name: 'Trygg' })).toBeVisible();
      await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
      const call = page.getByRole('main').getByRole('link', { name: /Ring 112/ });
      await expect(call).toBeVisible();
      await expect(call).toHaveAttribute('href', 'tel:112');
      await expect(page.getByRole('banner').getByRole('link', { name: 'Ring 112 vid fara' })).toHaveAttribute('href', 'tel:112');
    });
  }
});

test('the app replaces the placeholder: one header, one main, the same header height', async ({ page }) => {
  // Hold the wasm back to measure the placeholder's header first.
  let release = () => {};
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/*.wasm', async (route) => {
    await held;
    await route.continue();
  });
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto('/');
  const before = await page.locator('#boot .site-header').boundingBox();
  release();
  await open(page, '/');
  await expect(page.locator('#boot')).toHaveCount(0);
  await expect(page.locator('header.site-header')).toHaveCount(1);
  await expect(page.locator('main')).toHaveCount(1);
  const after = await page.locator('header.site-header').boundingBox();
  expect(after?.height).toBe(before?.height);
});

test('a report page renders its placeholder before it asks for the wasm', async ({ page }) => {
  // The report pages (rapport.html: data-load="after-paint") request their JS and wasm in the
  // frame after the first, so the placeholder is painted first even where the wasm would come at
  // once (the start page requests them while its head is parsed: Trunk.toml, the loader). The
  // page's frames are counted from before any of its scripts: a frame that began with the
  // placeholder in the page and a later one both before the request means one was painted.
  await page.addInitScript(() => {
    const frames: number[] = ((window as unknown as { __frames: number[] }).__frames = []);
    const tick = (t: number) => {
      if (document.getElementById('boot')) frames.push(t);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await open(page, '/rapport');
  const framesBefore = await page.evaluate(() => {
    const wasm = performance.getEntriesByType('resource').find((e) => e.name.endsWith('.wasm'))!.startTime;
    return (window as unknown as { __frames: number[] }).__frames.filter((t) => t <= wasm).length;
  });
  expect(framesBefore).toBeGreaterThanOrEqual(2);
});

test("the follow-up page's placeholder is the follow-up page's, other report pages show no form heading", async ({ page }) => {
  await page.route('**/*.wasm', () => {}); // never answered: the placeholder stays
  await page.goto('/folj-upp');
  await expect(page.locator('#boot h1')).toHaveText('Följ upp din rapport');
  await expect(page.locator('#boot p.lead').first()).toHaveText(/^Skriv kvittokoden du fick/);
  await expect(page.locator('#boot .call-112-big')).toHaveAttribute('href', 'tel:112');
  await page.goto('/kvitto');
  await expect(page.locator('#boot .call-112-big')).toBeVisible();
  await expect(page.locator('#boot h1')).toHaveCount(0);
  await expect(page.locator('#boot .boot-note')).toHaveText(/^Trygg startar/);
});

test("a reporter's header has no door to the coordinators' app", async ({ page }) => {
  await open(page, '/');
  await expect(page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Samordnare' })).toHaveCount(0);
});
