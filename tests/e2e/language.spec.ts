// Swedish first, English second: the switch in the header changes every text and <html lang>,
// and the choice is remembered on the device.
import { test, expect } from '@playwright/test';
import { open, expectNoAxeViolations, submitViaApi } from './helpers';

test('switching to English changes the texts and html lang, and survives a reload', async ({ page }) => {
  await open(page, '/rapport');
  await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
  await page.getByRole('button', { name: 'English' }).click();

  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Report an incident');
  await expect(page.locator('#step-heading')).toContainText('Step 1 of 6');
  await expect(page.getByRole('button', { name: 'Next' })).toBeVisible();
  // The switch keeps the keyboard focus and now offers Swedish.
  await expect(page.locator('#lang-switch')).toBeFocused();
  await expect(page.locator('#lang-switch')).toHaveText('Svenska');

  await page.reload();
  await expect(page.locator('main#main')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Report an incident');
  await expectNoAxeViolations(page);

  // Errors are English too, and the page stays free of violations with them shown.
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('alert').first()).toBeVisible();
  await expect(page.getByRole('alert').first()).not.toContainText(/[åäö]|Välj|Ange/);
  await expectNoAxeViolations(page);

  // And back.
  await page.getByRole('button', { name: 'Svenska' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
  await expect(page.locator('#step-heading')).toContainText('Steg 1 av 6');
  await expect(page.getByRole('button', { name: 'Nästa' })).toBeVisible();
});

test('the follow-up page speaks English, errors included, with no accessibility violations', async ({ page, request }) => {
  const { receipt_code } = await submitViaApi(request, 'Hotfullt samtal efter mötet');
  await open(page, '/folj-upp');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('Följ upp din rapport');
  // A wrong code: the field's error is in English.
  await page.locator('#receipt_code').fill('ABCD-EFGH-JKMN-PQRS');
  await page.locator('.followup-form button[type=submit]').click();
  await expect(page.locator('#receipt_code-error')).toBeVisible();
  await expect(page.locator('#receipt_code-error')).not.toContainText(/[åäö]/);
  await expectNoAxeViolations(page);
  await page.locator('#receipt_code').fill(receipt_code);
  await page.locator('.followup-form button[type=submit]').click();
  await expect(page.getByTestId('followup-status')).toHaveText('New');
  await expectNoAxeViolations(page);
});
