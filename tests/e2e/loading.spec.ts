// Loading and sending in the background (src/task.rs, in place of Leptos's LocalResource and
// Action): a list that failed to load loads again on request, and a report the device refuses
// to keep is sent straight from memory, once, while the page says so.
import { test, expect } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { open, coordinatorApi, countReports } from './helpers';
import { RECEIPT, anonymous, fillToReview, send } from './report-steps';

// No service worker: it would answer the checklist from its own copy.
test.use({ serviceWorkers: 'block' });

test('a checklist that could not be fetched is fetched again with "Försök igen"', async ({ page }) => {
  let failing = true;
  await page.route('**/api/content**', (route) => (failing ? route.abort('failed') : route.continue()));
  await open(page, '/lage/healthcare/before');
  const section = page.locator('.checklist-section');
  await expect(section.getByRole('alert')).toContainText('Listan kunde inte hämtas.');

  failing = false;
  await section.getByRole('button', { name: 'Försök igen' }).click();
  await expect(section.locator('.checklist label').first()).toBeVisible();
  await expect(section.getByRole('alert')).toHaveCount(0);
});

test('a report the device cannot keep is sent at once from memory and stored once', async ({ page, playwright }) => {
  const word = `minne${randomBytes(6).toString('hex')}`;
  // The device refuses the outbox (a full or locked storage); everything else is kept.
  await page.addInitScript(() => {
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key: string, value: string) {
      if (key === 'trygg.outbox.v1') throw new DOMException('full', 'QuotaExceededError');
      return setItem.call(this, key, value);
    };
  });
  // The send is held until the page has said what is going on.
  let posts = 0;
  let release = () => {};
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/api/reports', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    posts += 1;
    await held;
    await route.continue();
  });

  await open(page, '/rapport');
  await fillToReview(page, anonymous(`Hot i telefon ${word}`));
  await send(page);
  await expect(page.getByText('Rapporten kunde inte sparas på enheten.', { exact: false })).toBeVisible();
  // While it is on its way the button says so, and a second press sends nothing more.
  const sending = page.getByRole('button', { name: 'Skickar…' });
  await expect(sending).toHaveAttribute('aria-disabled', 'true');
  await sending.click({ force: true });
  release();
  await expect(page).toHaveURL(/\/kvitto$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Tack – din rapport är mottagen.' })).toBeVisible();
  await expect(page.getByTestId('receipt-code')).toHaveText(RECEIPT);
  expect(posts).toBe(1);

  const api = await coordinatorApi(playwright);
  try {
    expect(await countReports(api, word)).toBe(1);
  } finally {
    await api.dispose();
  }
});
