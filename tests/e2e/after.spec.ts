// After an incident (issue 18 items 2–4): a coordinator adds a support task on a report's page
// (a missing owner is refused next to its field, what was typed stays), marks it done, records
// the K-number and opens the printable summary for the police; the reporter sees the agreed
// next step on the follow-up page and their own summary there, the report verbatim. axe on the
// section, the summary page and the follow-up part in Swedish and English.
import { test, expect, type Browser } from '@playwright/test';
import { open, expectNoAxeViolations, submitViaApi, signedInState, useLanguage } from './helpers';

async function signedInPage(browser: Browser) {
  const context = await browser.newContext({ baseURL: process.env.BASE_URL, storageState: await signedInState('coordinator') });
  return { context, page: await context.newPage() };
}

function inDays(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return d.toISOString().slice(0, 10);
}

test('add a task, mark it done, record the K-number, print the summary; the reporter sees the next step and their summary', async ({ browser, request }) => {
  test.setTimeout(120_000);
  const words = 'Han skrev: "Vi vet var du bor."\nSedan följde han efter mig.';
  const receipt = await submitViaApi(request, words);
  const reportPath = `/samordnare/inkorg/${receipt.id}`;

  const { context, page } = await signedInPage(browser);
  await open(page, reportPath);
  const section = page.getByTestId('after-section');
  await expect(section.getByRole('heading', { name: 'Efter händelsen', exact: true })).toBeVisible();
  await expect(section.getByText('Inga uppföljningsuppgifter ännu.')).toBeVisible();
  const form = page.getByTestId('task-form');
  await form.getByLabel('Typ').selectOption('call_back');
  await form.getByLabel('Senast').fill(inDays(2));
  await form.getByLabel('Överenskommet nästa steg').fill('Vi ringer dig på fredag.');
  await form.getByLabel('Intern kommentar').fill('Internt: prata med chefen först.');
  await form.getByRole('button', { name: 'Lägg till uppgift' }).click();
  await expect(page.locator('#task-owner_id-error')).toHaveText('Fyll i fältet.');
  await expect(form.getByLabel('Överenskommet nästa steg')).toHaveValue('Vi ringer dig på fredag.');
  await form.getByLabel('Ansvarig').selectOption({ label: 'Sara Samordnare' });
  await form.getByRole('button', { name: 'Lägg till uppgift' }).click();
  await expect(section.getByTestId('task')).toHaveCount(1);
  await expect(section.getByTestId('task')).toContainText('Ringa upp');
  await test.step('axe: the after section (sv)', () => expectNoAxeViolations(page));

  await section.getByLabel('K-nummer (polisens diarienummer)').fill('12345');
  await section.getByRole('button', { name: 'Spara polisuppgifter' }).click();
  await expect(page.locator('#after-k-number-error')).toHaveText('Skriv K-numret som K och siffror, t.ex. K123456-26.');
  await section.getByLabel('K-nummer (polisens diarienummer)').fill('K123456-26');
  await section.getByRole('button', { name: 'Spara polisuppgifter' }).click();
  await expect(section.getByText('Sparat.')).toBeVisible();

  await useLanguage(page, 'en');
  await expect(section.getByRole('heading', { name: 'After the incident', exact: true })).toBeVisible();
  await test.step('axe: the after section (en)', () => expectNoAxeViolations(page));
  await useLanguage(page, 'sv');

  // The reporter sees the agreed next step, never the internal note.
  const reporterContext = await browser.newContext({ baseURL: process.env.BASE_URL, locale: 'sv-SE' });
  const reporter = await reporterContext.newPage();
  await open(reporter, '/folj-upp');
  await reporter.getByLabel('Kvittokod').fill(receipt.receipt_code);
  await reporter.getByRole('button', { name: 'Visa rapporten' }).click();
  await expect(reporter.getByTestId('agreed-step')).toContainText('Vi ringer dig på fredag.');
  await expect(reporter.getByText('Internt: prata med chefen först.')).toHaveCount(0);
  await reporter.getByTestId('show-summary').click();
  const mine = reporter.getByTestId('police-summary');
  await expect(mine.getByTestId('summary-words')).toHaveText(words);
  await expect(mine).toContainText('K123456-26');
  await expect(reporter.getByText('114 14', { exact: false }).first()).toBeVisible();
  await test.step('axe: the reporter\'s summary (sv)', () => expectNoAxeViolations(reporter));
  await useLanguage(reporter, 'en');
  await reporter.locator('#receipt_code').fill(receipt.receipt_code);
  await reporter.locator('.followup-form button[type=submit]').click();
  await expect(reporter.getByRole('heading', { name: 'How to report to the police' })).toBeVisible();
  await reporter.getByTestId('show-summary').click();
  await expect(reporter.getByTestId('summary-words')).toHaveText(words);
  await test.step('axe: the reporter\'s part (en)', () => expectNoAxeViolations(reporter));
  await reporterContext.close();

  // Mark done.
  await section.getByRole('button', { name: 'Markera klar' }).click();
  await expect(section.getByTestId('task-done')).toHaveText('Klar');

  // The printable summary.
  await section.getByRole('link', { name: 'Utskriftsvänlig sammanfattning för polisen' }).click();
  await expect(page).toHaveURL(new RegExp(`${reportPath}/polisanmalan$`));
  const summary = page.getByTestId('police-summary');
  await expect(summary.getByTestId('summary-words')).toHaveText(words);
  await expect(summary).toContainText('K123456-26');
  await expect(summary).toContainText('Inga bifogade filer.');
  await expect(page.getByRole('button', { name: 'Skriv ut' })).toBeVisible();
  await test.step('axe: the summary page (sv)', () => expectNoAxeViolations(page));
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('button', { name: 'Skriv ut' })).toBeHidden();
  await expect(summary).toBeVisible();
  await page.emulateMedia({ media: 'screen' });
  await useLanguage(page, 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Summary for the police report');
  await test.step('axe: the summary page (en)', () => expectNoAxeViolations(page));
  await context.close();
});

test('the overdue list is linked from the coordinator bar', async ({ browser }) => {
  const { context, page } = await signedInPage(browser);
  await open(page, '/samordnare/inkorg');
  await page.getByRole('link', { name: 'Uppgifter' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Försenade uppgifter');
  await test.step('axe: the overdue list (sv)', () => expectNoAxeViolations(page));
  await useLanguage(page, 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Overdue tasks');
  await test.step('axe: the overdue list (en)', () => expectNoAxeViolations(page));
  await context.close();
});
