// Follow-up that a person recognises (issue 15 item 6): the start page's "my reports" says which
// report has a new answer; the follow-up page shows what the report was about (kind, date, first
// words) and, while nobody has answered, by when an answer can be expected. Once the answer has
// been shown, "new answer" goes away.
import { test, expect } from '@playwright/test';
import { open, expectNoAxeViolations, coordinatorApi, submitViaApi } from './helpers';

test('my reports marks the one with a new answer, and the follow-up page says what it was about', async ({
  page,
  request,
}) => {
  const stamp = Date.now();
  const answered = await submitViaApi(request, `Hotfulla kommentarer under mitt inlägg ${stamp}`);
  const waiting = await submitViaApi(request, `Ett mejl med hot mot min familj ${stamp}`);
  const api = await coordinatorApi();
  const res = await api.post(`/api/reports/${answered.id}/messages`, { data: { body: 'Vi har sett din rapport.' } });
  expect(res.status()).toBe(201);
  await api.dispose();

  // This device kept both receipts (as the report form does).
  await open(page, '/');
  await page.evaluate(
    (receipts) => localStorage.setItem('trygg.receipts.v1', JSON.stringify(receipts)),
    [answered, waiting].map((r) => ({ id: r.id, receipt_code: r.receipt_code, received_at: new Date().toISOString() })),
  );
  await page.reload();
  const rows = page.locator('.my-report');
  await expect(rows.filter({ hasText: answered.receipt_code }).getByTestId('new-answer')).toHaveText('Nytt svar');
  await expect(rows.filter({ hasText: waiting.receipt_code }).getByTestId('new-answer')).toHaveCount(0);
  await expectNoAxeViolations(page);

  // The unanswered one: what it was about and when to expect an answer (routine: within a day).
  await page.getByRole('link', { name: `Följ upp ${waiting.receipt_code}` }).click();
  await expect(page.getByTestId('followup-about')).toContainText('trakasserier');
  await expect(page.getByTestId('followup-about')).toContainText('Ett mejl med hot mot min familj');
  await expect(page.getByTestId('followup-expected')).toContainText('inom ett dygn');
  await expectNoAxeViolations(page);

  // Opening the answered one shows the answer; back on the start page it is no longer new.
  await open(page, '/');
  await page.getByRole('link', { name: `Följ upp ${answered.receipt_code}` }).click();
  await expect(page.getByTestId('followup-message').first()).toContainText('Vi har sett din rapport.');
  await expect(page.getByTestId('followup-expected')).toHaveCount(0);
  await open(page, '/');
  await expect(rows.filter({ hasText: answered.receipt_code })).toBeVisible();
  await expect(page.getByTestId('new-answer')).toHaveCount(0);
});
