// The reporter's first journey through the guided form: each step checks its own fields with
// Swedish errors, back and next keep everything, the review sends, and a receipt comes back.
import { test, expect, type Page } from '@playwright/test';
import { open, expectNoAxeViolations } from './helpers';
import { RECEIPT, anonymous, expectStep, fillToReview, next, send } from './report-steps';

test('each step checks only its own fields, back keeps everything, and the review sends for a receipt', async ({
  page,
}) => {
  await open(page, '/rapport');
  await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
  await expectStep(page, 1);
  await expect(page.locator('progress.step-progress')).toHaveAttribute('value', '1');

  // Next on an empty first step: the summary lists this step's fields only.
  await page.getByRole('button', { name: 'Nästa' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'Något behöver rättas' });
  await expect(summary).toBeFocused();
  await expect(summary.locator('a[href="#kind"]')).toBeVisible();
  await expect(summary.locator('a[href="#channel"]')).toBeVisible();
  await expect(summary.locator('a[href="#description"]')).toHaveCount(0);
  await expect(page.locator('#kind-error')).toBeVisible();
  await expectStep(page, 1);

  await page.locator('label[for="kind-threat"]').click();
  await page.locator('label[for="channel-in_person"]').click();
  await page.locator('#location').fill('Parkeringen vid kommunhuset');
  await next(page, 2);
  await expect(page).toHaveURL(/\/rapport\?steg=2$/);
  await expect(summary).toHaveCount(0);

  // Too long text is caught before leaving the step, with the limit in the message.
  const description = page.locator('#description');
  await description.fill('x'.repeat(4001));
  await page.getByRole('button', { name: 'Nästa' }).click();
  await expect(page.locator('#description-error')).toContainText('4000');
  await expect(description).toHaveAttribute('aria-invalid', 'true');
  await description.fill('En man hotade mig på parkeringen efter mötet.');

  // Back (the button and the browser's) keeps what was typed.
  await page.getByRole('button', { name: 'Tillbaka' }).click();
  await expectStep(page, 1);
  await expect(page.locator('#location')).toHaveValue('Parkeringen vid kommunhuset');
  await expect(page.locator('#kind-threat')).toBeChecked();
  await page.goBack();
  await expectStep(page, 2);
  await expect(description).toHaveValue('En man hotade mig på parkeringen efter mötet.');

  await next(page, 3);
  await next(page, 4);
  await page.locator('label[for="role-elected_official"]').click();
  await next(page, 5);
  // Not anonymous: a name is asked for, and checked on this step.
  await page.locator('label[for="identity-confidential"]').click();
  await page.getByRole('button', { name: 'Nästa' }).click();
  await expect(page.locator('#reporter_name-error')).toBeVisible();
  await page.locator('label[for="identity-anonymous"]').click();
  await expect(page.locator('#reporter_name')).toHaveCount(0);
  await next(page, 6);

  // The review shows the answers in words, each step with a link to change it.
  const review = page.locator('main');
  await expect(review.getByText('En man hotade mig på parkeringen efter mötet.')).toBeVisible();
  await expect(review.getByText('Parkeringen vid kommunhuset')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Ändra – Om dig' })).toHaveAttribute('href', '/rapport?steg=4');
  await send(page);

  await expect(page.getByTestId('receipt-code')).toHaveText(RECEIPT);
  await expect(page.getByText('Tack')).toBeVisible();
  await expectNoAxeViolations(page);
});

test('a send with errors lists them all, and each link opens its step with the field focused', async ({ page }) => {
  await open(page, '/rapport?steg=6');
  await expectStep(page, 6);
  await send(page);
  const summary = page.getByRole('alert').filter({ hasText: 'Något behöver rättas' });
  await expect(summary).toBeFocused();
  for (const field of ['kind', 'channel', 'description', 'role', 'identity']) {
    await expect(summary.locator(`a[href="#${field}"]`)).toBeVisible();
  }
  await summary.locator('a[href="#description"]').click();
  await expectStep(page, 2);
  await expect(page).toHaveURL(/steg=2$/);
  await expect(page.locator('#description')).toBeFocused();
  await expect(page.locator('#description-error')).toContainText('Fyll i');

  await page.locator('a[href="#identity"]').click();
  await expectStep(page, 5);
  // A group of radios: its first radio takes the focus.
  await expect(page.locator('#identity-named')).toBeFocused();
});

test('field errors from the server bring the report back to the form with nothing lost', async ({ page }) => {
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
  await fillToReview(page, { ...anonymous('Hot i telefon.'), location: 'Regionhuset' });
  await send(page);
  // The step of the field the server refused, with its error and the summary.
  await expectStep(page, 1);
  await expect(page.locator('#location-error')).toContainText('200');
  await expect(page.locator('#location')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#location')).toHaveValue('Regionhuset');
  await expect(page.getByRole('alert').filter({ hasText: 'Något behöver rättas' })).toBeVisible();
  await expect(page.getByText('Rapporten togs inte emot som den var')).toBeVisible();
  // Nothing typed was lost, and it is the form's draft again (it survives a reload).
  await page.reload();
  await expect(page.locator('#location')).toHaveValue('Regionhuset');
  await page.goto('/rapport?steg=2');
  await expect(page.locator('#description')).toHaveValue('Hot i telefon.');
  const outbox = await page.evaluate(() => localStorage.getItem('trygg.outbox.v1'));
  expect(outbox).toBeNull();
});

test('a half-written report survives a reload, on every step', async ({ page }) => {
  await open(page, '/rapport');
  await page.locator('#location').fill('Ambulansstationen');
  await page.locator('label[for="kind-violence"]').click();
  await page.locator('label[for="channel-in_person"]').click();
  await next(page, 2);
  await page.locator('#description').fill('Halvfärdig rapport som inte får försvinna.');
  await page.reload();
  await expect(page.locator('main#main')).toBeVisible();
  await expectStep(page, 2);
  await expect(page.locator('#description')).toHaveValue('Halvfärdig rapport som inte får försvinna.');
  await page.getByRole('button', { name: 'Tillbaka' }).click();
  await expect(page.locator('#location')).toHaveValue('Ambulansstationen');
  await expect(page.locator('#kind-violence')).toBeChecked();
});

async function switchTo(page: Page, lang: string) {
  if (lang === 'en') {
    await open(page, '/');
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  }
}

for (const lang of ['sv', 'en']) {
  test(`every step of the form has no accessibility violations at 360 px (${lang})`, async ({ page }) => {
    await switchTo(page, lang);
    await open(page, '/rapport');
    expect(page.viewportSize()?.width).toBe(360);
    // Step 1, with its errors shown.
    await page.getByRole('button', { name: lang === 'en' ? 'Next' : 'Nästa' }).click();
    await expect(page.getByRole('alert').first()).toBeVisible();
    await expectNoAxeViolations(page);
    await page.locator('label[for="kind-threat"]').click();
    await page.locator('label[for="channel-phone"]').click();
    await next(page, 2);
    await expectNoAxeViolations(page);
    await page.locator('#description').fill(lang === 'en' ? 'A threat.' : 'Ett hot.');
    await next(page, 3);
    await page.locator('label[for="police_reported"]').click();
    await expect(page.locator('#police_case_number')).toBeVisible();
    await expectNoAxeViolations(page);
    await next(page, 4);
    await expectNoAxeViolations(page);
    await page.locator('label[for="role-healthcare"]').click();
    await next(page, 5);
    await page.locator('label[for="identity-named"]').click();
    await expect(page.locator('#reporter_name')).toBeVisible();
    await expectNoAxeViolations(page);
    await page.locator('#reporter_name').fill('Anna Andersson');
    await next(page, 6);
    await expect(page.getByText('Anna Andersson')).toBeVisible();
    await expectNoAxeViolations(page);
  });
}
