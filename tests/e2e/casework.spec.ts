// Casework end to end: the coordinator signs in with password and the code from the app,
// triages (status, severity, assignee), notes and answers; the reporter follows up by receipt
// code alone, sees the answer but never the internal note, and replies; the coordinator sees it.
import { test, expect } from '@playwright/test';
import { open, expectNoAxeViolations, submitViaApi, nextTotpCode, EMAIL, PASSWORD } from './helpers';
import { RECEIPT, anonymous, fillToReview, send } from './report-steps';

test('a coordinator answers a report and the reporter follows up with the receipt code', async ({ page, request, browser }) => {
  test.setTimeout(120_000);
  const description = `Hatmejl om beslut ${Date.now()}`;
  const { receipt_code } = await submitViaApi(request, description);

  // The coordinator signs in and opens the report from the inbox.
  await open(page, '/samordnare/inkorg');
  await expect(page).toHaveURL(/\/samordnare\/logga-in$/);
  await page.getByLabel('E-post').fill(EMAIL);
  await page.getByLabel('Lösenord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.getByLabel('Sexsiffrig kod').fill(await nextTotpCode('coordinator'));
  await page.getByRole('button', { name: 'Fortsätt' }).click();
  await expect(page).toHaveURL(/\/samordnare\/inkorg$/);
  await page.getByTestId('report-row').filter({ hasText: description }).getByRole('link').click();
  await expect(page).toHaveURL(/\/samordnare\/inkorg\/[0-9a-f-]+$/);
  await expect(page.getByTestId('case-details')).toContainText(description);
  await expect(page.getByTestId('case-details')).toContainText('Anonym');

  // Closing without a reason is stopped by the shared rules, inline.
  await page.locator('#triage-status').selectOption('closed');
  await page.getByRole('button', { name: 'Spara', exact: true }).click();
  await expect(page.locator('#triage-closed_reason-error')).toBeVisible();
  await expect(page.locator('#triage-closed_reason')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#triage-closed_reason')).toHaveAttribute('aria-describedby', 'triage-closed_reason-hint triage-closed_reason-error');
  await expect(page.locator('#triage-status')).not.toHaveAttribute('aria-invalid');
  await expect(page.locator('#triage-status')).not.toHaveAttribute('aria-describedby');

  await page.locator('#triage-status').selectOption('in_progress');
  await page.locator('#triage-severity').selectOption('high');
  await expect(page.getByTestId('case-details')).toContainText('HandläggareIngen');
  await page.getByLabel('Handläggare').selectOption({ label: 'Sara Samordnare (du)' });
  await page.getByRole('button', { name: 'Spara', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Sparat.' })).toBeVisible();
  await expect(page.getByTestId('case-details')).toContainText('Pågår');
  await expect(page.getByTestId('case-details')).toContainText('Hög');
  await expect(page.getByTestId('case-details')).toContainText('HandläggareSara Samordnare (du)');
  await expect(page.getByTestId('case-event').filter({ hasText: 'Tilldelade Sara Samordnare (du)' })).toHaveCount(1);
  // Another coordinator is on the list too.
  await expect(page.getByLabel('Handläggare').locator('option', { hasText: 'Adam Admin' })).toHaveCount(1);

  // An empty note is refused before it is sent.
  await page.getByRole('button', { name: 'Spara anteckning' }).click();
  await expect(page.locator('#note-body-error')).toBeVisible();
  // The legend groups the field; the label names the text box, which is described by the error.
  const note = page.getByRole('group', { name: 'Intern anteckning – syns aldrig för rapportören' }).getByLabel('Anteckning');
  await expect(note).toHaveAttribute('aria-describedby', 'note-body-error');
  await expect(page.locator('#note-body')).toHaveAttribute('aria-invalid', 'true');
  await page.locator('#note-body').fill('Intern: kontakta TiB');
  await expect(page.locator('#note-body')).not.toHaveAttribute('aria-invalid');
  await expect(page.locator('#note-body-error')).toHaveCount(0);
  await page.getByRole('button', { name: 'Spara anteckning' }).click();
  await expect(page.getByTestId('case-event').filter({ hasText: 'Intern: kontakta TiB' })).toHaveCount(1);
  await page.locator('#message-body').fill('Vi hör av oss i dag.');
  await page.getByRole('button', { name: 'Skicka till rapportören' }).click();
  await expect(page.getByTestId('case-event').filter({ hasText: 'Vi hör av oss i dag.' })).toHaveCount(1);
  await expectNoAxeViolations(page);

  // The reporter, on another device: the code alone.
  const reporterContext = await browser.newContext({ baseURL: process.env.BASE_URL, locale: 'sv-SE' });
  const reporter = await reporterContext.newPage();
  await open(reporter, '/folj-upp');
  await expect(reporter.getByRole('heading', { level: 1 })).toHaveText('Följ upp din rapport');
  await reporter.getByRole('button', { name: 'Visa rapporten' }).click();
  await expect(reporter.locator('#receipt_code-error')).toBeVisible();
  await reporter.getByLabel('Kvittokod').fill('ABCD-EFGH-JKMN-PQRS');
  await reporter.getByRole('button', { name: 'Visa rapporten' }).click();
  await expect(reporter.locator('#receipt_code-error')).toBeVisible();
  await reporter.getByLabel('Kvittokod').fill(receipt_code);
  await reporter.getByRole('button', { name: 'Visa rapporten' }).click();
  await expect(reporter.getByTestId('followup-status')).toHaveText('Pågår');
  const messages = reporter.getByTestId('followup-message');
  await expect(messages.filter({ hasText: 'Vi hör av oss i dag.' })).toContainText('Samordnaren');
  await expect(reporter.getByText('Intern: kontakta TiB')).toHaveCount(0);
  await expectNoAxeViolations(reporter);

  await reporter.locator('#body').fill('Tack!');
  await reporter.getByRole('button', { name: 'Skicka svar' }).click();
  await expect(messages.filter({ hasText: 'Tack!' })).toContainText('Du');
  await expect(reporter.getByText('Intern: kontakta TiB')).toHaveCount(0);
  await reporterContext.close();
  // Nor is the note (or a coordinator's name) anywhere in what the server sends the reporter.
  const thread = await request.post('/api/followup', { data: { receipt_code } });
  expect(thread.status()).toBe(200);
  const body = await thread.text();
  expect(body).toContain('Vi hör av oss i dag.');
  expect(body).not.toContain('Intern: kontakta TiB');
  expect(body).not.toContain('Sara Samordnare');

  // The coordinator sees the reply.
  await page.reload();
  await expect(page.getByTestId('case-event').filter({ hasText: 'Tack!' })).toHaveCount(1);
  await expect(page.getByTestId('case-event').filter({ hasText: 'Tack!' })).toContainText('Rapportören');
});

test('"Följ upp" in my reports opens the follow-up page with the code filled in, and never puts the code in a URL', async ({ page }) => {
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  await open(page, '/rapport');
  await fillToReview(page, anonymous('Hotfulla samtal till växeln.'));
  await send(page);
  await expect(page.getByTestId('receipt-code')).toHaveText(RECEIPT);
  const code = (await page.getByTestId('receipt-code').textContent())?.trim() ?? '';

  await page.getByRole('link', { name: 'Till startsidan' }).click();
  const mine = page.getByRole('region', { name: 'Mina rapporter' });
  await mine.getByRole('link', { name: `Följ upp ${code}` }).click();
  await expect(page).toHaveURL(/\/folj-upp$/);
  await expect(page.getByLabel('Kvittokod')).toHaveValue(code);
  await expect(page.getByTestId('followup-status')).toHaveText('Ny');
  await expect(page.getByText('Inga svar än.')).toBeVisible();
  expect(urls.filter((u) => u.includes(code))).toEqual([]);
});

test('a report page asks for sign-in, and an unknown report says so instead of loading forever', async ({ page }) => {
  await open(page, '/samordnare/inkorg/00000000-0000-7000-8000-000000000000');
  await expect(page).toHaveURL(/\/samordnare\/logga-in\?till=%2Fsamordnare%2Finkorg%2F00000000-0000-7000-8000-000000000000$/);
  await page.getByLabel('E-post').fill(EMAIL);
  await page.getByLabel('Lösenord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.getByLabel('Sexsiffrig kod').fill(await nextTotpCode('coordinator'));
  await page.getByRole('button', { name: 'Fortsätt' }).click();
  // Back on the report that asked for sign-in, which does not exist.
  await expect(page).toHaveURL(/\/samordnare\/inkorg\/00000000-0000-7000-8000-000000000000$/);
  await expect(page.getByRole('alert')).toContainText('not_found');
  await expect(page.getByText('Hämtar')).toHaveCount(0);
});
