// A device left in a shared place (issue 11, defect 9): the reporter forgets one report or all of
// them on the start page (all only after a confirmation), and on the receipt page; receipts not
// opened for 90 days are gone at the next start; a name typed before choosing "anonymous" never
// stays in the stored draft. Each step is checked in localStorage too, not only on the screen.
import { test, expect, type Page } from '@playwright/test';
import { open, expectNoAxeViolations, submitViaApi } from './helpers';
import { expectStep, next } from './report-steps';

const LIST = 'trygg.receipts.v1';
const LAST = 'trygg.receipt.v1';
const DAY_MS = 24 * 60 * 60 * 1000;

interface Kept {
  id: string;
  receipt_code: string;
  received_at: string;
  last_opened_ms: number;
}

/** Puts receipts on the device as the app keeps them (newest first; the first is the last one). */
async function keep(page: Page, receipts: Kept[]) {
  await page.evaluate(
    ([list, last, all]) => {
      localStorage.setItem(list, JSON.stringify(all));
      localStorage.setItem(last, JSON.stringify(all[0]));
    },
    [LIST, LAST, receipts] as const,
  );
}

async function stored(page: Page, key: string) {
  return page.evaluate((k) => localStorage.getItem(k), key);
}

/** Three real reports, their receipts kept on the device as the outbox would have. */
async function threeReceipts(page: Page): Promise<Kept[]> {
  const kept: Kept[] = [];
  for (const n of [1, 2, 3]) {
    const r = await submitViaApi(page.request, `Glömtest ${n}: hotfullt mejl till kansliet.`);
    kept.unshift({ id: r.id, receipt_code: r.receipt_code, received_at: new Date().toISOString(), last_opened_ms: 0 });
  }
  return kept;
}

test('the start page forgets one report, then all of them after a confirmation', async ({ page }) => {
  const receipts = await threeReceipts(page);
  await open(page, '/');
  await keep(page, receipts);
  await open(page, '/');
  const mine = page.getByRole('region', { name: 'Mina rapporter' });
  await expect(mine.getByTestId('my-report-code')).toHaveText(receipts.map((r) => r.receipt_code));
  await expectNoAxeViolations(page);

  // Forget the middle one: it leaves the screen and the device; the others stay.
  const gone = receipts[1].receipt_code;
  await mine.getByRole('button', { name: `Glöm rapporten ${gone} på den här enheten` }).click();
  await expect(mine.getByTestId('my-report-code')).toHaveText([receipts[0].receipt_code, receipts[2].receipt_code]);
  expect(await stored(page, LIST)).not.toContain(gone);
  await expect(page.locator('#my-reports')).toBeFocused();

  // Forget all: the first button only opens the confirmation; closing it keeps everything.
  const forgetAll = mine.getByText('Glöm alla rapporter på den här enheten');
  const confirm = mine.getByRole('button', { name: 'Ja, glöm alla' });
  await expect(confirm).toBeHidden();
  await forgetAll.click();
  await expect(mine.getByText('Glömma alla kvittokoder på enheten?')).toBeVisible();
  await expectNoAxeViolations(page);
  await forgetAll.click();
  await expect(confirm).toBeHidden();
  await expect(mine.getByTestId('my-report-code')).toHaveCount(2);
  expect(await stored(page, LIST)).toContain(receipts[0].receipt_code);

  await forgetAll.click();
  await confirm.click();
  await expect(page.getByRole('region', { name: 'Mina rapporter' })).toHaveCount(0);
  expect(await stored(page, LIST)).toBeNull();
  expect(await stored(page, LAST)).toBeNull();
  await open(page, '/');
  await expect(page.getByTestId('my-report-code')).toHaveCount(0);
  await expectNoAxeViolations(page);
});

test('a receipt not opened for 90 days is forgotten at the next start, a newer one is kept', async ({ page }) => {
  const [fresh, old] = (await threeReceipts(page)).slice(0, 2);
  await open(page, '/');
  const now = await page.evaluate(() => Date.now());
  await keep(page, [
    { ...fresh, last_opened_ms: now - 89 * DAY_MS },
    { ...old, last_opened_ms: now - 91 * DAY_MS },
  ]);
  await open(page, '/');
  await expect(page.getByTestId('my-report-code')).toHaveText([fresh.receipt_code]);
  expect(await stored(page, LIST)).not.toContain(old.receipt_code);
});

test('the receipt page says how to forget on a shared device, and forgets', async ({ page }) => {
  const [receipt] = await threeReceipts(page);
  await open(page, '/');
  await keep(page, [receipt]);
  await open(page, '/kvitto');
  await expect(page.getByTestId('receipt-code')).toHaveText(receipt.receipt_code);
  await expect(page.locator('main')).toContainText('På en delad enhet');
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: `Glöm rapporten ${receipt.receipt_code} på den här enheten` }).click();
  await expect(page.getByText('Kvittot är glömt på den här enheten.')).toBeVisible();
  await expect(page.getByTestId('receipt-code')).toHaveCount(0);
  expect(await stored(page, LIST)).not.toContain(receipt.receipt_code);
  expect(await stored(page, LAST)).toBeNull();
});

test('a name typed before choosing anonymous does not stay in the stored draft', async ({ page }) => {
  await open(page, '/rapport');
  await expectStep(page, 1);
  await page.locator('label[for="kind-threat"]').click();
  await page.locator('label[for="channel-phone"]').click();
  await next(page, 2);
  await page.locator('#description').fill('Hot i väntrummet.');
  await next(page, 3);
  await next(page, 4);
  await page.locator('label[for="role-healthcare"]').click();
  await next(page, 5);
  await page.locator('label[for="identity-named"]').click();
  await page.locator('#reporter_name').fill('Anna Lindqvist');
  await page.locator('#reporter_email').fill('anna.lindqvist@region.se');
  await expect.poll(() => stored(page, 'trygg.draft.v1')).toContain('Anna Lindqvist');
  await page.locator('label[for="identity-anonymous"]').click();
  await expect.poll(() => stored(page, 'trygg.draft.v1')).toContain('"identity":"anonymous"');
  const draft = (await stored(page, 'trygg.draft.v1')) ?? '';
  expect(draft).not.toContain('Anna');
  expect(draft).not.toContain('lindqvist');
  // Back to "named": the fields are empty, nothing was kept to come back.
  await page.locator('label[for="identity-named"]').click();
  await expect(page.locator('#reporter_name')).toHaveValue('');
});
