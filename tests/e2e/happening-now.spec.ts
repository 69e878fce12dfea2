// "It is happening now" (issue 15 item 2): on a new device one tap on the start page reaches the
// large "Ring 112" block and the during-advice, with no choice asked first and no error.
import { test, expect } from '@playwright/test';
import { open, expectNoAxeViolations } from './helpers';

test('on a new device one tap on "something is happening now" shows the Ring 112 block', async ({ page }) => {
  await open(page, '/');
  await page.getByTestId('start-now').click();
  await expect(page).toHaveURL(/\/nu$/);
  const call = page.locator('a.call-112-big[href="tel:112"]');
  await expect(call).toBeVisible();
  await expect(page.getByText('Välj både vem du är')).toHaveCount(0);
  // The role is asked after, and leads to that role's during checklist.
  await page.getByRole('link', { name: 'Förtroendevald' }).click();
  await expect(page).toHaveURL(/\/lage\/elected_official\/during$/);
  await expect(page.locator('a.call-112-big[href="tel:112"]')).toBeVisible();
});

test('choosing "during" alone on the start page is not an error: it goes to the advice', async ({ page }) => {
  await open(page, '/');
  await page.locator('label[for="start-phase-during"]').click();
  await page.getByRole('button', { name: 'Visa vad jag ska göra' }).click();
  await expect(page).toHaveURL(/\/nu$/);
  await expect(page.locator('a.call-112-big[href="tel:112"]')).toBeVisible();
  await expectNoAxeViolations(page);
});

test('with a remembered role the tap goes straight to that role\'s during page', async ({ page }) => {
  await open(page, '/lage/healthcare/before');
  await open(page, '/');
  await page.getByTestId('start-now').click();
  await expect(page).toHaveURL(/\/lage\/healthcare\/during$/);
  await expect(page.locator('a.call-112-big[href="tel:112"]')).toBeVisible();
});
