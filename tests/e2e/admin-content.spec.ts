// Administration of what reporters see (issue 13): an administrator puts the duty officer's number
// on the phone list and a reporter's contacts page shows it as a tel: link, also offline after one
// online visit; a checklist edit appears on the situation page, and the reporter's ticks on other
// steps survive it; the retention page's dry run. axe on each admin page in both languages.
import { test, expect, type Browser, type Page } from '@playwright/test';
import { open, expectNoAxeViolations, signedInState, useLanguage } from './helpers';

async function adminPage(browser: Browser) {
  const context = await browser.newContext({ baseURL: process.env.BASE_URL, storageState: await signedInState('admin') });
  return { context, page: await context.newPage() };
}

/** Waits until the service worker is active and controls this page. */
async function untilControlled(page: Page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    }
  });
}

test('an admin sets the duty officer\'s number; the reporter sees a tel: link, offline too after one visit', async ({ browser, page, context }) => {
  const admin = await adminPage(browser);
  const a = admin.page;
  await open(a, '/samordnare/admin/telefonlista');
  await expect(a.getByRole('heading', { level: 1 })).toHaveText('Telefonlista');
  await a.getByRole('button', { name: 'Ändra – Tjänsteman i beredskap (TiB)' }).click();
  const phone = a.getByLabel('Telefonnummer');
  await expect(a.getByLabel('Namn på svenska')).toBeFocused();

  // A number that is not one: refused on the field, and what was typed stays.
  await phone.fill('010-123 45 67 ankn 12');
  await a.getByRole('button', { name: 'Spara' }).click();
  await expect(a.locator('#admin-phone-error')).toContainText('Skriv ett svenskt nummer');
  await expect(phone).toBeFocused();
  await expect(phone).toHaveValue('010-123 45 67 ankn 12');
  await expect(phone).toHaveAttribute('aria-invalid', 'true');
  await expectNoAxeViolations(a);

  await phone.fill('010-123 45 67');
  await a.getByRole('button', { name: 'Spara' }).click();
  await expect(a.getByTestId('admin-status')).toHaveText('Sparat.');
  await expect(a.locator('main a[href="tel:+46101234567"]')).toHaveText('010-123 45 67');
  await expectNoAxeViolations(a);
  await useLanguage(a, 'en');
  await expect(a.getByRole('heading', { level: 1 })).toHaveText('Phone list');
  await expectNoAxeViolations(a);
  await admin.context.close();

  // The reporter, online once.
  await open(page, '/');
  await untilControlled(page);
  await open(page, '/kontakter');
  const tib = page.locator('main a[href="tel:+46101234567"]');
  await expect(tib).toHaveText('010-123 45 67');
  await context.setOffline(true);
  await page.reload();
  await expect(page.locator('main#main h1')).toBeVisible();
  await expect(tib).toHaveText('010-123 45 67');
  // A situation never opened before works offline too: every checklist came with the first visit.
  await open(page, '/lage/elected_official/during');
  await expect(page.locator('.checklist label').first()).toContainText('112');
  await context.setOffline(false);
});

test('a checklist edit appears on the situation page and the reporter\'s ticks on other steps survive', async ({ browser, page }) => {
  // The reporter ticks the second step.
  await open(page, '/lage/elected_official/before');
  const labels = page.locator('.checklist label');
  const original = (await labels.first().textContent())!;
  await page.locator('.checklist input[type=checkbox]').nth(1).check();

  const admin = await adminPage(browser);
  const a = admin.page;
  await open(a, '/samordnare/admin/checklistor');
  await a.getByLabel('Läge').selectOption('elected_official/before');
  await a.getByRole('button', { name: `Ändra – ${original}` }).click();
  const sv = a.getByLabel('Text på svenska');
  await expect(sv).toBeFocused();
  await sv.fill('');
  await a.getByRole('button', { name: 'Spara' }).click();
  await expect(a.locator('#admin-text_sv-error')).toBeVisible();
  await sv.fill('Berätta för en kollega vart du ska och när du är tillbaka.');
  await a.getByRole('button', { name: 'Spara' }).click();
  await expect(a.getByTestId('admin-status')).toHaveText('Sparat.');
  await expect(a.getByTestId('admin-preview').locator('li').first()).toHaveText(
    'Berätta för en kollega vart du ska och när du är tillbaka.',
  );
  await expectNoAxeViolations(a);

  await page.reload();
  await expect(labels.first()).toHaveText('Berätta för en kollega vart du ska och när du är tillbaka.');
  await expect(page.locator('.checklist input[type=checkbox]').nth(1)).toBeChecked();

  // Put the step back as it was, for the other specs.
  await a.getByRole('button', { name: 'Ändra – Berätta för en kollega vart du ska och när du är tillbaka.' }).click();
  await sv.fill(original);
  await a.getByRole('button', { name: 'Spara' }).click();
  await expect(a.getByTestId('admin-status')).toHaveText('Sparat.');
  await admin.context.close();
});

test('the retention page shows the period and a dry run, in both languages', async ({ browser }) => {
  const admin = await adminPage(browser);
  const a = admin.page;
  await open(a, '/samordnare/admin/gallring');
  const months = a.getByLabel('Hur många månader stängda rapporter sparas');
  await expect(months).toHaveValue('24');
  await expect(a.getByTestId('dry-run')).toContainText('Inga stängda rapporter');
  await months.fill('3');
  await a.getByRole('button', { name: 'Spara' }).click();
  await expect(a.locator('#admin-months-error')).toHaveText('Välj mellan 6 och 120 månader.');
  await expect(months).toHaveValue('3');
  await expectNoAxeViolations(a);
  await months.fill('24');
  await a.getByRole('button', { name: 'Spara' }).click();
  await expect(a.getByTestId('admin-status')).toHaveText('Sparat.');
  await useLanguage(a, 'en');
  await expect(a.getByRole('heading', { level: 1 })).toHaveText('Retention');
  await expectNoAxeViolations(a);
  await admin.context.close();
});
