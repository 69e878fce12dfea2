// The coordinator's desk: on a 1440 px monitor the inbox uses the width (its table needs no
// sideways scroll) and the report page shows the report beside triage, conversation and notes;
// at 360 px the same pages are one column. Coordinator pages have a compact header without the
// reporters' 112 block, the case page labels fields in the coordinator's words, the internal
// note's field is not labelled like the reply's, and the status counts read "Alla (n)".
import { test, expect, type Browser, type Page } from '@playwright/test';
import { open, expectNoAxeViolations, signedInState, submitViaApi } from './helpers';

const DESK = { width: 1440, height: 900 };

async function deskPage(browser: Browser, viewport = DESK) {
  const context = await browser.newContext({
    baseURL: process.env.BASE_URL,
    viewport,
    isMobile: viewport.width < 600,
    hasTouch: viewport.width < 600,
    locale: 'sv-SE',
    storageState: await signedInState('coordinator'),
  });
  return { context, page: await context.newPage() };
}

async function noSidewaysScroll(page: Page) {
  const sizes = await page.evaluate(() => {
    const doc = document.documentElement;
    const wrap = document.querySelector('.table-wrap');
    return {
      page: [doc.scrollWidth, doc.clientWidth],
      table: wrap ? [wrap.scrollWidth, wrap.clientWidth] : [0, 0],
    };
  });
  expect(sizes.page[0], 'the page scrolls sideways').toBeLessThanOrEqual(sizes.page[1]);
  expect(sizes.table[0], 'the inbox table scrolls sideways').toBeLessThanOrEqual(sizes.table[1]);
}

test('at 1440 px the inbox table fits the page without sideways scroll', async ({ browser, request }) => {
  for (let i = 0; i < 3; i++) {
    await submitViaApi(request, `Skrivbord ${i}: hotfulla samtal till mottagningen under kvällspasset`);
  }
  // A reporter's very long word breaks inside its cell instead of widening the table.
  await submitViaApi(request, 'Skrivbord: Kommunfullmäktigesammanträdesprotokollsjusteringsförrättningen avbröts av hot');
  const { context, page } = await deskPage(browser);
  await open(page, '/samordnare/inkorg');
  await expect(page.locator('.reports tbody tr').first()).toBeVisible();
  await noSidewaysScroll(page);
  // The page uses the monitor: far wider than the phone layout's 768 px.
  const width = await page.locator('main').evaluate((m) => m.getBoundingClientRect().width);
  expect(width).toBeGreaterThan(1200);
  // "Alla (3)", not "Alla(3)".
  await expect(page.getByTestId('status-count-all')).toHaveText(/^Alla\s\(\d+\+?\)$/);
  await expectNoAxeViolations(page);
  await context.close();
});

test('the coordinator header is compact: no 112 block, no reporter links, the language switch stays', async ({ browser }) => {
  const { context, page } = await deskPage(browser, { width: 360, height: 740 });
  await open(page, '/samordnare/inkorg');
  const banner = page.getByRole('banner');
  await expect(banner.locator('a[href="tel:112"]')).toHaveCount(0);
  await expect(banner.getByRole('link', { name: 'Rapportera' })).toHaveCount(0);
  await expect(banner.locator('#lang-switch')).toBeVisible();
  await context.close();
});

test('at 1440 px the report sits beside triage, conversation and notes; at 360 px they follow it in one column', async ({ browser, request }) => {
  const { id } = await submitViaApi(request, 'Skrivbord: en man väntade utanför kansliet och ropade hot.');
  const { context, page } = await deskPage(browser);
  await open(page, `/samordnare/inkorg/${id}`);
  const report = page.locator('.case-desk__report');
  const work = page.locator('.case-desk__work');
  await expect(page.getByTestId('case-details')).toBeVisible();
  const [r, w] = [await report.boundingBox(), await work.boundingBox()];
  expect(r && w).toBeTruthy();
  expect(w!.x).toBeGreaterThanOrEqual(r!.x + r!.width);
  expect(Math.abs(w!.y - r!.y)).toBeLessThan(8);
  // Triage, the conversation and the note are in the right-hand column.
  await expect(work.getByLabel('Status')).toBeVisible();
  await expect(work.getByLabel('Anteckning')).toBeVisible();
  await expect(work.getByLabel('Meddelande till rapportören')).toBeVisible();
  await noSidewaysScroll(page);
  await expectNoAxeViolations(page);

  await page.setViewportSize({ width: 360, height: 740 });
  const [r2, w2] = [await report.boundingBox(), await work.boundingBox()];
  expect(w2!.y).toBeGreaterThanOrEqual(r2!.y + r2!.height);
  await noSidewaysScroll(page);
  await context.close();
});

test('the case page speaks of the reporter: "Rapportörens roll" and "Identitet: Anonym", not the form\'s questions', async ({ browser, request }) => {
  const { id } = await submitViaApi(request, 'Skrivbord: etiketter för läsaren.');
  const { context, page } = await deskPage(browser, { width: 360, height: 740 });
  await open(page, `/samordnare/inkorg/${id}`);
  const details = page.getByTestId('case-details');
  await expect(details.locator('dt', { hasText: 'Rapportörens roll' })).toHaveCount(1);
  await expect(details.locator('dt', { hasText: /^Identitet$/ })).toHaveCount(1);
  await expect(details.locator('dt', { hasText: /^Identitet$/ }).locator('+ dd')).toHaveText('Anonym');
  for (const question of ['Din roll', 'Ditt namn', 'Vad hände?', 'Hur vill du synas i rapporten?']) {
    await expect(details.locator('dt', { hasText: question })).toHaveCount(0);
  }
  // The note's field and the reply's are named apart.
  await expect(page.locator('label[for="note-body"]')).toHaveText('Anteckning');
  await expect(page.locator('label[for="message-body"]')).toHaveText('Meddelande till rapportören');
  await context.close();
});
