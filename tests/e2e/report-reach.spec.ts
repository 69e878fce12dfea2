// Less scrolling in the report (issue 15): the introduction only on the first step, the step's
// actions within reach on a phone without scrolling, a review of what was filled in, the report
// one tap from the start page, and the situation chosen there (role and phase) carried into it.
import { test, expect } from '@playwright/test';
import { open } from './helpers';
import { expectStep, next } from './report-steps';

test.use({ viewport: { width: 360, height: 640 } });

test('the start page has a real Rapportera button in the first screen', async ({ page }) => {
  await open(page, '/');
  const button = page.getByRole('main').getByRole('link', { name: 'Rapportera en händelse' });
  await expect(button).toHaveClass(/button/);
  const box = await button.boundingBox();
  expect(box && box.y + box.height).toBeLessThanOrEqual(640);
  await button.click();
  await expectStep(page, 1);
});

test('the introduction is on step 1 only, and Nästa is in reach on every step without scrolling', async ({ page }) => {
  await open(page, '/rapport');
  await expectStep(page, 1);
  const intro = page.locator('main p.lead');
  await expect(intro).toHaveCount(1);
  const nextButton = page.getByRole('button', { name: 'Nästa' });
  for (const step of [1, 2, 3]) {
    await page.evaluate(() => window.scrollTo(0, 0));
    const box = await nextButton.boundingBox();
    expect(box, `step ${step}`).not.toBeNull();
    expect(box!.y + box!.height, `step ${step}`).toBeLessThanOrEqual(640);
    if (step === 1) {
      await page.locator('label[for="kind-threat"]').click();
      await page.locator('label[for="channel-phone"]').click();
    }
    if (step === 2) await page.locator('#description').fill('Hot i telefon');
    await next(page, step + 1);
    await expect(intro).toHaveCount(0);
  }
});

test('the situation chosen on the start page fills in role and phase; the review lists only what was filled', async ({ page }) => {
  await open(page, '/');
  await page.locator('label[for="start-role-elected_official"]').click();
  await page.locator('label[for="start-phase-after"]').click();
  await page.getByRole('button', { name: 'Visa vad jag ska göra' }).click();
  await expect(page).toHaveURL(/\/lage\/elected_official\/after$/);
  await open(page, '/rapport?steg=4');
  await expect(page.locator('#role-elected_official')).toBeChecked();
  await expect(page.locator('#phase-after')).toBeChecked();

  await open(page, '/rapport?steg=6');
  const review = page.getByRole('main');
  await expect(review.locator('dd')).not.toContainText(['Inte ifyllt']);
  await expect(review.locator('dt', { hasText: 'Din roll' })).toHaveCount(1);
  // A step with nothing filled in says so once.
  await expect(review.locator('.review-empty').first()).toHaveText('Inte ifyllt');
});

test('"Ring upp mig" is not offered to an anonymous reporter', async ({ page }) => {
  await open(page, '/rapport?steg=5');
  await page.locator('label[for="identity-anonymous"]').click();
  await expect(page.getByRole('checkbox', { name: 'Ring upp mig' })).toHaveCount(0);
  await page.locator('label[for="identity-named"]').click();
  await expect(page.getByRole('checkbox', { name: 'Ring upp mig' })).toHaveCount(1);
});

test('a receipt code that finds nothing says so and what to check', async ({ page }) => {
  await open(page, '/folj-upp');
  await page.getByLabel('Kvittokod').fill('ABCD-EFGH-JKMN-PQRS');
  await page.getByRole('button', { name: 'Visa rapporten' }).click();
  await expect(page.locator('#receipt_code-error')).toContainText('Vi hittar ingen rapport med den koden.');
});
