// The coordinator's first journey: sign in and find the report in the list.
import { test, expect } from '@playwright/test';
import { open, expectNoAxeViolations, submitViaApi, EMAIL, PASSWORD } from './helpers';

test('the inbox asks for sign-in, refuses a wrong password, and lists reports after sign-in', async ({ page, request }) => {
  const description = `Hot via sociala medier ${Date.now()}`;
  await submitViaApi(request, description);

  await open(page, '/samordnare/inkorg');
  await expect(page).toHaveURL(/\/samordnare\/logga-in$/);
  await expectNoAxeViolations(page);

  await page.getByLabel('E-post').fill(EMAIL);
  await page.getByLabel('Lösenord').fill('fel lösenord');
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByRole('alert')).toContainText('Fel e-post eller lösenord');

  await page.getByLabel('Lösenord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page).toHaveURL(/\/samordnare\/inkorg$/);
  const row = page.getByTestId('report-row').filter({ hasText: description });
  await expect(row).toHaveCount(1);
  await expect(page.getByTestId('report-row').first()).toContainText(description);
  await expectNoAxeViolations(page);

  await page.getByRole('button', { name: 'Logga ut' }).click();
  await expect(page).toHaveURL(/\/samordnare\/logga-in$/);
  await open(page, '/samordnare/inkorg');
  await expect(page).toHaveURL(/\/samordnare\/logga-in$/);
});
