// Swedish first, English second: the switch in the header changes every text and <html lang>,
// and the choice is remembered on the device.
import { test, expect } from '@playwright/test';
import { open, expectNoAxeViolations } from './helpers';

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
