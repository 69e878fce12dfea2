// The two browser apps: the reporter's (/, its own small router) and the coordinators'
// (/samordnare/…, leptos_router). The reporter's is two wasm bundles: its start (/, /nu) and its
// report pages (/rapport, /kvitto, /folj-upp, /incheckning, the situations and the phone list;
// files under /r/). Each page loads
// only its own wasm bundle; a link from one bundle to another is a full page load, a link inside
// a bundle is not.
import { test, expect, type Page } from '@playwright/test';
import { open } from './helpers';
import { RECEIPT, anonymous, fillToReview, send } from './report-steps';

/** The wasm files the page asked for from now on. */
function wasmRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('.wasm')) seen.push(new URL(r.url()).pathname);
  });
  return seen;
}

/** Marks the current document; the mark is gone after a full page load. */
async function mark(page: Page) {
  await page.evaluate(() => ((window as unknown as { trygMark: number }).trygMark = 1));
}
async function marked(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { trygMark?: number }).trygMark === 1);
}

const nav = (page: Page) => page.getByRole('navigation', { name: 'Huvudmeny' });

test('each app loads only its own bundle, and the links between them are full page loads', async ({ page }) => {
  const wasm = wasmRequests(page);
  await open(page, '/');
  expect(wasm.some((p) => /^\/trygg-app-[0-9a-f]+_bg\.wasm$/.test(p))).toBe(true);
  expect(wasm.some((p) => p.includes('samordnare'))).toBe(false);

  // Reporters' pages have no link to the coordinators' app (first-second.spec.ts); coordinators
  // open it by its address.
  wasm.length = 0;
  await open(page, '/samordnare/inkorg');
  // Not signed in: the coordinator app sends the visitor on to its sign-in page.
  await expect(page).toHaveURL(/\/samordnare\/logga-in$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Logga in som samordnare' })).toBeVisible();
  expect(wasm.some((p) => /^\/samordnare\/trygg-samordnare-[0-9a-f]+_bg\.wasm$/.test(p))).toBe(true);
  expect(wasm.some((p) => p.includes('trygg-app'))).toBe(false);

  await mark(page);
  wasm.length = 0;
  await nav(page).getByRole('link', { name: 'Start' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Vad behöver du nu?' })).toBeVisible();
  expect(await marked(page)).toBe(false);
  expect(wasm.some((p) => p.includes('trygg-app'))).toBe(true);

  // The coordinator app's page for an unknown address leads back to the reporter's start page.
  await open(page, '/samordnare/finns-inte');
  await expect(page.getByRole('heading', { level: 1, name: 'Sidan finns inte' })).toBeVisible();
  await mark(page);
  await page.getByRole('main').getByRole('link', { name: 'Till startsidan' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Vad behöver du nu?' })).toBeVisible();
  expect(await marked(page)).toBe(false);
});

test('inside the reporter app links, back and forward change the page without loading it again', async ({ page }) => {
  // The phone list and the situations are the report bundle's (crates/domain is_report_path):
  // from the start page they are a page load, which fetches that bundle.
  const wasm = wasmRequests(page);
  await open(page, '/');
  await expect(nav(page).getByRole('link', { name: 'Start' })).toHaveAttribute('aria-current', 'page');
  await mark(page);
  wasm.length = 0;
  await nav(page).getByRole('link', { name: 'Kontakter' }).click();
  await expect(page).toHaveURL(/\/kontakter$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Kontakter' })).toBeVisible();
  expect(await marked(page)).toBe(false);
  expect(wasm.some((p) => /^\/r\/trygg-rapport-[0-9a-f]+_bg\.wasm$/.test(p))).toBe(true);

  // Inside the report bundle: the report form and the phone list without a page load.
  await open(page, '/rapport');
  await expect(page.getByRole('heading', { level: 1, name: 'Rapportera en händelse' })).toBeVisible();
  await mark(page);
  await nav(page).getByRole('link', { name: 'Kontakter' }).click();
  await expect(page).toHaveURL(/\/kontakter$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Kontakter' })).toBeVisible();
  // Focus starts at the new page's heading; the menu marks where we are.
  await expect(page.locator('main h1')).toBeFocused();
  await expect(nav(page).getByRole('link', { name: 'Kontakter' })).toHaveAttribute('aria-current', 'page');
  await expect(nav(page).getByRole('link', { name: 'Rapportera' })).not.toHaveAttribute('aria-current', 'page');

  await page.goBack();
  await expect(page).toHaveURL(/\/rapport$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Rapportera en händelse' })).toBeVisible();
  await page.goForward();
  await expect(page).toHaveURL(/\/kontakter$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Kontakter' })).toBeVisible();
  expect(await marked(page)).toBe(true);

  // A situation page is one route with two named parts; another situation is the same page anew.
  await page.goto('/lage/healthcare/during');
  await mark(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Under – Vård/ambulans');
  await page.evaluate(() => {
    const a = document.createElement('a');
    a.href = '/lage/elected_official/after';
    a.textContent = 'annan situation';
    document.querySelector('main')!.append(a);
  });
  await page.getByRole('link', { name: 'annan situation' }).click();
  await expect(page).toHaveURL(/\/lage\/elected_official\/after$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Efter – Förtroendevald');
  expect(await marked(page)).toBe(true);

  // An unknown address shows the page for it, whose link goes home inside the app.
  await page.goto('/finns-inte');
  await expect(page.getByRole('heading', { level: 1, name: 'Sidan finns inte' })).toBeVisible();
  await mark(page);
  await page.getByRole('main').getByRole('link', { name: 'Till startsidan' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Vad behöver du nu?' })).toBeVisible();
  expect(await marked(page)).toBe(true);
});

test('from the start page a link opens the report bundle, whose report is sent; the way back loads the start bundle', async ({
  page,
}) => {
  const wasm = wasmRequests(page);
  await open(page, '/');
  expect(wasm.some((p) => p.startsWith('/r/'))).toBe(false);
  await mark(page);
  wasm.length = 0;
  await page.getByRole('main').getByRole('link', { name: 'Rapportera en händelse' }).click();
  await expect(page).toHaveURL(/\/rapport$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Rapportera en händelse' })).toBeVisible();
  expect(await marked(page)).toBe(false);
  expect(wasm.some((p) => /^\/r\/trygg-rapport-[0-9a-f]+_bg\.wasm$/.test(p))).toBe(true);
  expect(wasm.some((p) => p.includes('trygg-app'))).toBe(false);
  await expect(nav(page).getByRole('link', { name: 'Rapportera' })).toHaveAttribute('aria-current', 'page');

  // Inside the report bundle: the form's steps and the receipt need no page load.
  await mark(page);
  await fillToReview(page, anonymous('Hot vid entrén, skickat efter en länk från startsidan.'));
  await send(page);
  await expect(page).toHaveURL(/\/kvitto$/);
  await expect(page.getByTestId('receipt-code')).toHaveText(RECEIPT);
  const code = (await page.getByTestId('receipt-code').textContent())?.trim() ?? '';
  expect(await marked(page)).toBe(true);

  // Back at the start page (a page load): the report is among mine.
  await page.getByRole('main').getByRole('link', { name: 'Till startsidan' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Vad behöver du nu?' })).toBeVisible();
  expect(await marked(page)).toBe(false);
  const mine = page.getByRole('region', { name: 'Mina rapporter' });
  await expect(mine.getByTestId('my-report-code').first()).toHaveText(code);
});
