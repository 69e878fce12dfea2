// The reporter's first journey: wrong input gets Swedish field errors; a fixed report gets a receipt.
import { test, expect } from '@playwright/test';
import { open, expectNoAxeViolations } from './helpers';

const RECEIPT = /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/;

test('a report filled in wrong shows Swedish field errors, and once fixed it gets a receipt', async ({ page }) => {
  await open(page, '/rapport');
  await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
  await page.getByRole('button', { name: 'Skicka rapport' }).click();

  const summary = page.getByRole('alert').filter({ hasText: 'Rapporten kunde inte skickas' });
  await expect(summary).toBeVisible();
  await expect(summary).toBeFocused();
  // Inline errors sit under the fields they belong to and are announced with them.
  const description = page.locator('#description');
  await expect(description).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#description-error')).toContainText('Fyll i');
  await expect(page.locator('#kind-error')).toBeVisible();
  await expect(page.locator('#role-error')).toBeVisible();
  await expect(page.locator('#identity-error')).toBeVisible();
  // Each summary entry links to its field.
  await expect(summary.locator('a[href="#description"]')).toBeVisible();

  // Too long text is caught before sending, with the limit in the message.
  await description.fill('x'.repeat(4001));
  await page.getByRole('button', { name: 'Skicka rapport' }).click();
  await expect(page.locator('#description-error')).toContainText('4000');

  // Fix everything and send.
  await description.fill('En man hotade mig på parkeringen efter mötet.');
  await page.locator('label[for="kind-threat"]').click();
  await page.locator('label[for="channel-in_person"]').click();
  await page.locator('label[for="role-elected_official"]').click();
  await page.locator('label[for="identity-anonymous"]').click();
  await page.getByRole('button', { name: 'Skicka rapport' }).click();

  const code = page.getByTestId('receipt-code');
  await expect(code).toHaveText(RECEIPT);
  await expect(page.getByText('Tack')).toBeVisible();
  await expectNoAxeViolations(page);
});

test('field errors from the server are shown on the same fields', async ({ page }) => {
  await page.route('**/api/reports', (route) =>
    route.fulfill({
      status: 422,
      contentType: 'application/json',
      body: JSON.stringify({
        error: { code: 'validation', message: 'Some fields are invalid.', fields: [{ field: 'location', code: 'location.too_long' }] },
      }),
    }),
  );
  await open(page, '/rapport');
  await page.locator('#description').fill('Hot i telefon.');
  await page.locator('#location').fill('Regionhuset');
  await page.locator('label[for="kind-threat"]').click();
  await page.locator('label[for="channel-phone"]').click();
  await page.locator('label[for="role-healthcare"]').click();
  await page.locator('label[for="identity-anonymous"]').click();
  await page.getByRole('button', { name: 'Skicka rapport' }).click();
  await expect(page.locator('#location-error')).toContainText('200');
  await expect(page.locator('#location')).toHaveAttribute('aria-invalid', 'true');
  // Nothing typed was lost.
  await expect(page.locator('#description')).toHaveValue('Hot i telefon.');
});

test('a half-written report survives a reload', async ({ page }) => {
  await open(page, '/rapport');
  await page.locator('#description').fill('Halvfärdig rapport som inte får försvinna.');
  await page.locator('#location').fill('Ambulansstationen');
  await page.reload();
  await expect(page.locator('main#main')).toBeVisible();
  await expect(page.locator('#description')).toHaveValue('Halvfärdig rapport som inte får försvinna.');
  await expect(page.locator('#location')).toHaveValue('Ambulansstationen');
});

test('the report page has no accessibility violations', async ({ page }) => {
  await open(page, '/rapport');
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Skicka rapport' }).click();
  await expect(page.getByRole('alert').first()).toBeVisible();
  await expectNoAxeViolations(page);
});

test('a send that gets no answer is retried automatically with the same key, and gets one receipt', async ({ page }) => {
  const keys: string[] = [];
  let dropped = 2;
  await page.route('**/api/reports', async (route) => {
    keys.push(route.request().headers()['idempotency-key']);
    if (dropped > 0) {
      dropped--;
      await route.abort('internetdisconnected');
    } else {
      await route.continue();
    }
  });
  await open(page, '/rapport');
  await page.locator('#description').fill('Någon kastade sten mot ambulansen.');
  await page.locator('label[for="kind-violence"]').click();
  await page.locator('label[for="channel-in_person"]').click();
  await page.locator('label[for="role-healthcare"]').click();
  await page.locator('label[for="identity-anonymous"]').click();
  await page.getByRole('button', { name: 'Skicka rapport' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'försöker igen automatiskt' })).toBeVisible();

  // 2 s, then 4 s later the third try gets through; nobody pressed send again.
  await expect(page.getByTestId('receipt-code')).toHaveText(RECEIPT, { timeout: 15_000 });
  expect(keys).toHaveLength(3);
  expect(new Set(keys).size).toBe(1);
});
