// The outbox: a sent report is kept on the device until the server has stored it, retried by
// itself (with the same Idempotency-Key) after no answer or a server error, across a reload,
// and stored exactly once. The count is taken from the coordinator's inbox (signed in with TOTP).
import { test, expect, type Page, type Playwright } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { open, expectNoAxeViolations, coordinatorApi, countReports } from './helpers';
import { RECEIPT, anonymous, fillToReview, send } from './report-steps';

const QUEUED_SV = 'Sparad på den här enheten – skickas automatiskt när nätet är tillbaka.';
const QUEUED_EN = 'Saved on this device – it will be sent automatically when the network is back.';

/** A word found by the inbox's free-text search in exactly one test's report. */
function marker() {
  return `utkast${randomBytes(6).toString('hex')}`;
}

/** How many reports the server holds whose text contains `word` (the coordinator's inbox). */
async function reportsOnServer(playwright: Playwright, word: string) {
  const api = await coordinatorApi(playwright);
  try {
    return await countReports(api, word);
  } finally {
    await api.dispose();
  }
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

/** Records the Idempotency-Key of every report POST the page makes. */
function recordKeys(page: Page) {
  const keys: string[] = [];
  page.on('request', (req) => {
    if (req.method() === 'POST' && new URL(req.url()).pathname === '/api/reports') {
      keys.push(req.headers()['idempotency-key']);
    }
  });
  return keys;
}

test('offline, a sent report is kept on the device and goes out with one record when the network is back', async ({
  page,
  context,
  playwright,
}) => {
  const word = marker();
  const keys = recordKeys(page);
  await open(page, '/rapport');
  await fillToReview(page, anonymous(`Hotfullt samtal till mottagningen. ${word}`));
  await context.setOffline(true);
  await send(page);

  const queued = page.getByTestId('queued');
  await expect(queued.getByRole('status')).toHaveText(QUEUED_SV);
  await expect(page.locator('#queued-heading')).toBeFocused();
  await expectNoAxeViolations(page);
  // The form's draft is gone; the report is in the outbox with its key.
  const stored = await page.evaluate(() => ({
    draft: localStorage.getItem('trygg.draft.v1'),
    outbox: JSON.parse(localStorage.getItem('trygg.outbox.v1') ?? '[]'),
  }));
  expect(stored.draft).toBeNull();
  expect(stored.outbox).toHaveLength(1);
  expect(stored.outbox[0].payload.description).toContain(word);

  await context.setOffline(false);
  await expect(page.getByTestId('receipt-code')).toHaveText(RECEIPT, { timeout: 15_000 });
  expect(await page.evaluate(() => localStorage.getItem('trygg.outbox.v1'))).toBeNull();
  expect(new Set(keys.filter(Boolean)).size).toBe(1);
  expect(await reportsOnServer(playwright, word)).toBe(1);
});

test('a server error on the first try is retried by itself with the same key, and stored once', async ({
  page,
  playwright,
}) => {
  const word = marker();
  const keys: string[] = [];
  let failed = 0;
  await page.route('**/api/reports', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    keys.push(route.request().headers()['idempotency-key']);
    if (failed === 0) {
      failed++;
      await route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'internal', message: 'Something went wrong.', fields: [] } }),
      });
    } else {
      await route.continue();
    }
  });
  await open(page, '/rapport');
  await fillToReview(page, anonymous(`Sten kastades mot ambulansen. ${word}`));
  await send(page);
  await expect(page.getByTestId('queued').getByRole('status')).toHaveText(QUEUED_SV);

  // After 2 s the second try gets through; nobody pressed anything.
  await expect(page.getByTestId('receipt-code')).toHaveText(RECEIPT, { timeout: 15_000 });
  expect(keys.length).toBeGreaterThanOrEqual(2);
  expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
  expect(new Set(keys).size).toBe(1);
  expect(await reportsOnServer(playwright, word)).toBe(1);
});

test('a report queued offline survives a reload while still offline and is sent once when the network is back', async ({
  page,
  context,
  playwright,
}) => {
  const word = marker();
  const keys = recordKeys(page);
  // Once the service worker holds the app shell, the app opens again with no network.
  await open(page, '/');
  await untilControlled(page);
  await open(page, '/rapport');
  await fillToReview(page, anonymous(`Hot i sociala medier. ${word}`));
  await context.setOffline(true);
  await send(page);
  await expect(page.getByTestId('queued').getByRole('status')).toHaveText(QUEUED_SV);
  const queuedKey = await page.evaluate(
    () => JSON.parse(localStorage.getItem('trygg.outbox.v1') ?? '[]')[0]?.idempotency_key,
  );
  expect(queuedKey).toMatch(/^[0-9a-f-]{36}$/);

  // Reloaded with no network: the outbox is still there, and the page waits for it again.
  await page.reload();
  await expect(page.locator('main#main')).toBeVisible();
  await expect(page.getByTestId('queued').getByRole('status')).toHaveText(QUEUED_SV);
  // The start page lists it as waiting to be sent.
  await open(page, '/');
  const waiting = page.getByRole('region', { name: 'Väntar på att skickas' });
  await expect(waiting.getByTestId('waiting-report')).toContainText(word);
  await expectNoAxeViolations(page);

  // The network comes back: sent at once, from the start page, with the key it was queued with.
  await context.setOffline(false);
  const mine = page.getByRole('region', { name: 'Mina rapporter' });
  await expect(mine.getByTestId('my-report-code').first()).toHaveText(RECEIPT, { timeout: 15_000 });
  await expect(waiting).toHaveCount(0);
  expect(keys.length).toBeGreaterThanOrEqual(1);
  expect(new Set(keys)).toEqual(new Set([queuedKey]));
  expect(await reportsOnServer(playwright, word)).toBe(1);
});

test('the queued message and the waiting list are in English too', async ({ page, context }) => {
  await open(page, '/');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await open(page, '/rapport');
  await fillToReview(page, anonymous(`A threatening phone call. ${marker()}`));
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Send report' }).click();
  await expect(page.getByTestId('queued').getByRole('status')).toHaveText(QUEUED_EN);
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Write a new report' }).click();
  await expect(page.locator('#step-heading')).toContainText('Step 1 of 6');
  await context.setOffline(false);
  await expect(page.getByTestId('receipt-code')).toHaveCount(0);
  await open(page, '/');
  await expect(page.getByRole('region', { name: 'My reports' }).getByTestId('my-report-code').first()).toHaveText(RECEIPT, {
    timeout: 15_000,
  });
});

test('a 409 keeps the report on the device with an error, and it can be sent again from the form under a new key', async ({
  page,
  playwright,
}) => {
  const word = marker();
  const keys: string[] = [];
  await page.route('**/api/reports', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    keys.push(route.request().headers()['idempotency-key']);
    if (keys.length === 1) {
      await route.fulfill({
        status: 409,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'idempotency_conflict', message: 'Key in use.', fields: [] } }),
      });
    } else {
      await route.continue();
    }
  });
  await open(page, '/rapport');
  await fillToReview(page, anonymous(`Hot vid hembesök. ${word}`));
  await send(page);
  const alert = page.getByTestId('queued').getByRole('alert');
  await expect(alert).toContainText('idempotency_conflict');
  await expect(alert).toContainText('Den finns kvar på enheten');
  // Kept, and marked as a conflict, which the sender never retries by itself (the unit test
  // a_conflict_keeps_the_entry_without_retrying_until_reopened_under_a_new_key proves the rule;
  // here the stored state shows the rule applies, with no fixed wait).
  const kept = await page.evaluate(() => JSON.parse(localStorage.getItem('trygg.outbox.v1') ?? '[]'));
  expect(kept).toHaveLength(1);
  expect(kept[0].state).toEqual({ state: 'conflict' });
  expect(keys).toHaveLength(1);
  expect(kept[0].payload.description).toContain(word);
  await expectNoAxeViolations(page);

  await page.getByRole('button', { name: 'Öppna i formuläret' }).click();
  await expect(page.locator('#step-heading')).toContainText('Steg 6 av 6');
  await expect(page.getByText(word)).toBeVisible();
  await send(page);
  await expect(page.getByTestId('receipt-code')).toHaveText(RECEIPT, { timeout: 15_000 });
  expect(keys).toHaveLength(2);
  expect(keys[1]).not.toBe(keys[0]);
  expect(await reportsOnServer(playwright, word)).toBe(1);
});
