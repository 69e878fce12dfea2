// Screenshots of the main pages at 360 px (a phone) and 1440 px (a monitor) for the README,
// written to docs/screens/<page>-<width>.png. Skipped unless TRYGG_SCREENS=1:
//   TRYGG_SCREENS=1 scripts/e2e.sh npx playwright test screens.spec.ts
// Only the first screen of each page (not the full page) keeps the files small.
import { test, expect, type Browser, type Page } from '@playwright/test';
import { join } from 'node:path';
import { open, signedInState, submitViaApi } from './helpers';

const OUT = join(__dirname, '..', '..', 'docs', 'screens');
const WIDTHS = [
  { width: 360, height: 740 },
  { width: 1440, height: 900 },
];

test.skip(!process.env.TRYGG_SCREENS, 'set TRYGG_SCREENS=1 to write docs/screens/');

async function shoot(page: Page, name: string, width: number) {
  await page.waitForLoadState('networkidle');
  await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
  // No blinking caret or focus ring from the page's own focus handling in the picture.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.screenshot({ path: join(OUT, `${name}-${width}.png`), animations: 'disabled', caret: 'hide' });
}

async function contextAt(browser: Browser, viewport: { width: number; height: number }, signedIn: boolean) {
  return browser.newContext({
    baseURL: process.env.BASE_URL,
    viewport,
    isMobile: viewport.width < 600,
    hasTouch: viewport.width < 600,
    locale: 'sv-SE',
    storageState: signedIn ? await signedInState('admin') : undefined,
  });
}

test('screenshots of the main pages at 360 px and 1440 px', async ({ browser, request }) => {
  test.setTimeout(120_000);
  await submitViaApi(request, 'Hotfullt samtal till mottagningen: uppringaren sa att han visste var jag bor.');
  const { id } = await submitViaApi(request, 'En man väntade utanför kansliet efter mötet och ropade hot mot nämndens ordförande.');
  for (const viewport of WIDTHS) {
    const reporter = await contextAt(browser, viewport, false);
    const page = await reporter.newPage();
    await open(page, '/');
    await shoot(page, 'start', viewport.width);
    await open(page, '/lage/healthcare/during');
    await shoot(page, 'situation', viewport.width);
    await open(page, '/rapport');
    await shoot(page, 'report-step-1', viewport.width);
    await reporter.close();

    const desk = await contextAt(browser, viewport, true);
    const coord = await desk.newPage();
    await open(coord, '/samordnare/inkorg');
    await expect(coord.locator('.reports tbody tr').first()).toBeVisible();
    await shoot(coord, 'inbox', viewport.width);
    await open(coord, `/samordnare/inkorg/${id}`);
    await expect(coord.getByTestId('case-details')).toBeVisible();
    await shoot(coord, 'case', viewport.width);
    await open(coord, '/samordnare/admin');
    await shoot(coord, 'admin', viewport.width);
    await desk.close();
  }
});
