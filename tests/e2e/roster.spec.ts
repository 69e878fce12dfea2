// The on-duty roster and "what waits for me": an administrator sets a shift and the on-duty line
// names the person (on the roster page and in every coordinator's bar); a malformed fallback
// address is refused next to its field without losing what was typed; the waiting list links to
// the reports; axe on both pages in Swedish and English, at 360 px.
import { test, expect, type Browser, type Page } from '@playwright/test';
import { open, expectNoAxeViolations, submitViaApi, signedInState, useLanguage } from './helpers';

const ROSTER = '/samordnare/admin/jour';

async function signedInPage(browser: Browser, who: 'coordinator' | 'admin') {
  const context = await browser.newContext({ baseURL: process.env.BASE_URL, storageState: await signedInState(who) });
  return { context, page: await context.newPage() };
}

async function fitsThePhone(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
}

test('the roster page sets a shift and "on duty now" shows the name; a bad fallback address is refused on its field', async ({ browser }) => {
  const admin = await signedInPage(browser, 'admin');
  const page = admin.page;
  await open(page, ROSTER);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Jourlista');
  await page.getByRole('button', { name: 'Lägg till pass' }).click();
  await expect(page.getByLabel('Från dag')).toBeFocused();
  // Monday 00:00 to Monday 00:00 is a whole week: it covers now, whenever the test runs.
  await page.getByLabel('Från dag').selectOption('1');
  await page.getByLabel('Från klockan').fill('00:00');
  await page.getByLabel('Till dag').selectOption('1');
  await page.getByLabel('Till klockan').fill('00:00');
  await page.getByLabel('Person').selectOption({ label: 'Sara Samordnare' });
  await page.getByLabel('Reservadress för timmar utan jour').fill('jour@region');
  await page.getByRole('button', { name: 'Spara jourlistan' }).click();

  await expect(page.getByRole('alert').first()).toHaveText('Jourlistan sparades inte. Rätta fälten som är markerade.');
  const fallback = page.getByLabel('Reservadress för timmar utan jour');
  await expect(page.locator('#fallback_email-error')).toHaveText('Skriv en e-postadress, till exempel jour@region.se.');
  await expect(fallback).toHaveAttribute('aria-invalid', 'true');
  await expect(fallback).toHaveValue('jour@region');
  await expect(page.getByLabel('Person')).toHaveValue(/.+/);
  await test.step('axe: roster with an error', () => expectNoAxeViolations(page));

  await fallback.fill('jour@region.se');
  await page.getByRole('button', { name: 'Spara jourlistan' }).click();
  await expect(page.getByText('Jourlistan är sparad.')).toBeVisible();
  await expect(page.getByTestId('roster-on-duty')).toHaveText('I tjänst nu: Sara Samordnare');
  await expect(page.getByRole('row', { name: /måndag/ })).toContainText('00:00–24:00 Sara Samordnare');
  await expect(page.getByRole('row', { name: /söndag/ })).toContainText('00:00–24:00 Sara Samordnare');
  await expect(fallback).not.toHaveAttribute('aria-invalid', 'true');
  await fitsThePhone(page);

  // After a reload the roster is there as saved.
  await page.reload();
  await expect(page.getByLabel('Person')).toHaveValue(/.+/);
  await expect(page.getByLabel('Reservadress för timmar utan jour')).toHaveValue('jour@region.se');
  await admin.context.close();

  // Every coordinator's bar names who is on duty now.
  const coordinator = await signedInPage(browser, 'coordinator');
  await open(coordinator.page, '/samordnare/inkorg');
  await expect(coordinator.page.getByTestId('on-duty')).toHaveText('I tjänst nu: Sara Samordnare');
  await coordinator.context.close();
});

test('"what waits for me" counts in the bar and lists reports with links, no text', async ({ browser, request }) => {
  const description = `Väntar-listan ${Date.now()}`;
  const { id } = await submitViaApi(request, description);
  const coordinator = await signedInPage(browser, 'coordinator');
  const page = coordinator.page;
  await open(page, '/samordnare/inkorg');
  await expect(page.getByTestId('waiting-count')).toHaveText(/^[1-9]\d*$/);
  await page.getByRole('navigation', { name: 'Samordnarmeny' }).getByRole('link', { name: /Väntar/ }).click();
  await expect(page).toHaveURL(/\/samordnare\/vantar$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Väntar på mig');
  const link = page.locator(`a[href="/samordnare/inkorg/${id}"]`).first();
  await expect(link).toBeVisible();
  await expect(page.getByTestId('waiting-row').first()).toBeVisible();
  await expect(page.locator('main')).not.toContainText(description);
  await fitsThePhone(page);
  await link.click();
  await expect(page.getByTestId('case-details')).toContainText(description);
  await coordinator.context.close();
});

for (const lang of ['sv', 'en'] as const) {
  test(`the roster and waiting pages have no accessibility violations (${lang})`, async ({ browser }) => {
    const admin = await signedInPage(browser, 'admin');
    await open(admin.page, ROSTER);
    await useLanguage(admin.page, lang);
    await expect(admin.page.getByRole('heading', { level: 1 })).toHaveText(lang === 'en' ? 'On-duty roster' : 'Jourlista');
    await expect(admin.page.getByTestId('slot-row').first()).toBeVisible();
    await admin.page.getByRole('button', { name: lang === 'en' ? 'Add an exception' : 'Lägg till undantag' }).click();
    await test.step('axe: roster', () => expectNoAxeViolations(admin.page));
    await admin.context.close();

    const coordinator = await signedInPage(browser, 'coordinator');
    await open(coordinator.page, '/samordnare/vantar');
    await useLanguage(coordinator.page, lang);
    await expect(coordinator.page.getByTestId('waiting-row').first()).toBeVisible();
    await test.step('axe: waiting', () => expectNoAxeViolations(coordinator.page));
    await coordinator.context.close();
  });
}
