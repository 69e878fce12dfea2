// The statistics page (/samordnare/statistik): reached from the coordinator bar; each chart is an
// SVG named by its finding, with its data table beside it; the filters go into the URL and stay
// after a reload; the CSV exports are links; axe finds nothing in Swedish and English, also at
// 360 px, where nothing scrolls sideways.
import { test, expect, type Browser } from '@playwright/test';
import { open, expectNoAxeViolations, coordinatorApi, signedInState, submitViaApi, useLanguage } from './helpers';

async function signedInPage(browser: Browser) {
  const context = await browser.newContext({ baseURL: process.env.BASE_URL, storageState: await signedInState('coordinator') });
  return { context, page: await context.newPage() };
}

test('charts render with their tables, filters stay in the URL, and the page is accessible in both languages and at 360 px', async ({ browser }) => {
  const api = await coordinatorApi();
  await submitViaApi(api, `Statistikmarkör ${Date.now()}`);
  await submitViaApi(api, `Statistikmarkör två ${Date.now()}`);
  await api.dispose();

  const { context, page } = await signedInPage(browser);
  await open(page, '/samordnare/inkorg');
  await page.getByRole('navigation', { name: 'Samordnarmeny' }).getByRole('link', { name: 'Statistik' }).click();
  await expect(page).toHaveURL(/\/samordnare\/statistik$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Statistik');

  const counts = page.getByTestId('stats-counts');
  await expect(counts.getByRole('heading', { level: 2 })).toContainText(/\d+ rapporter – flest under \d{4}-W\d{2}/);
  await expect(counts.getByRole('img')).toBeVisible();
  await expect(counts.locator('svg rect.chart__bar').first()).toBeAttached();
  await expect(counts.getByRole('table')).toBeVisible();
  await expect(counts.getByRole('row')).not.toHaveCount(1);
  const backlog = page.getByTestId('stats-backlog');
  await expect(backlog.locator('svg polyline')).toBeAttached();
  await expect(backlog.getByRole('table')).toBeVisible();
  await expect(page.getByTestId('stats-times').getByRole('table')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Statistiken som CSV' })).toHaveAttribute('href', /^\/api\/stats\/csv\?/);
  await expect(page.getByRole('link', { name: /Rapporterna rad för rad/ })).toHaveAttribute('href', /^\/api\/stats\/rows\?/);
  await expect(page.locator('main')).not.toContainText('Statistikmarkör');
  await expectNoAxeViolations(page);

  await page.locator('#stats-period').selectOption('month');
  await page.locator('#stats-kind').selectOption('harassment');
  await page.getByRole('button', { name: 'Visa' }).click();
  await expect(page).toHaveURL(/period=month/);
  await expect(page).toHaveURL(/kind=harassment/);
  await expect(counts.getByRole('heading', { level: 2 })).toContainText(/flest under \d{4}-\d{2} /);
  await page.reload();
  await expect(page.locator('#stats-period')).toHaveValue('month');
  await expect(page.locator('#stats-kind')).toHaveValue('harassment');
  await expect(page.getByRole('link', { name: 'Statistiken som CSV' })).toHaveAttribute('href', /kind=harassment/);

  await useLanguage(page, 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Statistics');
  await expect(counts.getByRole('heading', { level: 2 })).toContainText(/reports – most in/);
  await expectNoAxeViolations(page);

  await page.setViewportSize({ width: 360, height: 740 });
  await expect(counts.getByRole('img')).toBeVisible();
  await expectNoAxeViolations(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await context.close();
});
