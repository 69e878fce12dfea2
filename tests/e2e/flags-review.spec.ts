// Risk flags after approval (issue 17): a coordinator reviews an active flag on the report's
// page — a reason is required, a date beyond 12 months is refused beside its field with what
// was typed kept — extends it, and the flag's history shows the extension with its reason; the
// look-up log page lists look-ups; a responder who signs in lands on the look-up page. Axe on
// the review form and history in Swedish and English.
import { test, expect, request as playwrightRequest, type Browser } from '@playwright/test';
import { open, expectNoAxeViolations, submitViaApi, signedInState, useLanguage, coordinatorApi, totpCode, currentStep } from './helpers';

const PASSWORD = 'ett långt lösenord för ambulansen';

async function signedInPage(browser: Browser, who: 'coordinator' | 'admin') {
  const context = await browser.newContext({ baseURL: process.env.BASE_URL, storageState: await signedInState(who) });
  return { context, page: await context.newPage() };
}

function day(offset: number): string {
  const d = new Date(Date.now() + offset * 86_400_000);
  return d.toISOString().slice(0, 10);
}

test('propose → a second coordinator approves → a review extends it → the history shows it', async ({ browser, request }) => {
  test.setTimeout(120_000);
  const receipt = await submitViaApi(request, 'Hot vid dörren, hund lös.');
  const reportPath = `/samordnare/inkorg/${receipt.id}`;
  const address = `Granskargatan ${Date.now() % 400 + 1}, 981 31 Kiruna`;

  const sara = await signedInPage(browser, 'coordinator');
  await open(sara.page, reportPath);
  const section = sara.page.getByTestId('flags-section');
  await section.getByLabel('Adress', { exact: true }).fill(address);
  await section.getByLabel('Kategori').selectOption('dog');
  await section.getByLabel('Råd till personalen (svenska)').fill('Be ägaren stänga in hunden.');
  await section.getByLabel('Råd till personalen (engelska)').fill('Ask the owner to shut the dog in.');
  await section.getByLabel('Skäl (internt)').fill('Hunden bet en sjuksköterska.');
  await section.getByRole('button', { name: 'Föreslå flagga' }).click();
  await expect(section.getByTestId('flag-state')).toHaveText('Föreslagen');
  await sara.context.close();

  const adam = await signedInPage(browser, 'admin');
  const page = adam.page;
  await open(page, reportPath);
  const theirs = page.getByTestId('flags-section');
  await theirs.getByRole('button', { name: 'Godkänn' }).click();
  await expect(theirs.getByTestId('flag-state')).toHaveText('Aktiv');

  const review = theirs.getByTestId('flag-review');
  await review.getByText('Granska flaggan').click();
  await review.getByLabel('Slutdatum').fill(day(500));
  await review.getByRole('button', { name: 'Spara granskningen' }).click();
  await expect(review.locator('[id$="-reason-error"]')).toHaveText('Fyll i fältet.');
  await expect(review.locator('[id$="-ends_on-error"]')).toHaveText('Högst 12 månader fram.');
  await expect(review.getByLabel('Slutdatum')).toHaveValue(day(500));
  await test.step('axe: the review form with errors (sv)', () => expectNoAxeViolations(page));
  await review.getByLabel('Skäl till granskningen').fill('Hunden finns kvar enligt polisen.');
  await review.getByLabel('Slutdatum').fill(day(200));
  await review.getByLabel('Omprövas').fill(day(150));
  await review.getByRole('button', { name: 'Spara granskningen' }).click();
  await expect(review.getByText('Granskningen är sparad.')).toBeVisible();
  await expect(theirs.getByTestId('flag-dates')).toContainText(day(200));
  await expect(review.getByLabel('Skäl till granskningen')).toHaveValue('');

  await theirs.getByRole('button', { name: 'Historik och uppslag' }).click();
  const history = theirs.getByTestId('flag-history');
  await expect(history).toContainText('Föreslagen');
  await expect(history).toContainText('Godkänd');
  await expect(history.getByRole('row').filter({ hasText: 'Förlängd' })).toContainText('Hunden finns kvar enligt polisen.');
  await expect(history).not.toContainText('Hunden bet');
  await expect(theirs.getByTestId('flag-lookups')).toContainText('Ingen har slagit upp adressen.');
  await test.step('axe: review and history (sv)', () => expectNoAxeViolations(page));
  await useLanguage(page, 'en');
  await theirs.getByRole('button', { name: 'History and look-ups' }).click();
  await expect(theirs.getByTestId('flag-history')).toContainText('Extended');
  await theirs.getByTestId('flag-review').getByText('Review the flag').click();
  await test.step('axe: review and history (en)', () => expectNoAxeViolations(page));

  await open(page, '/samordnare/admin');
  await page.getByRole('link', { name: 'Look-up log' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Look-up log');
  await test.step('axe: the look-up log (en)', () => expectNoAxeViolations(page));
  await useLanguage(page, 'sv');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Uppslagslogg');
  await test.step('axe: the look-up log (sv)', () => expectNoAxeViolations(page));
  await adam.context.close();
});

test('a responder who signs in lands on the address look-up, not the inbox', async ({ browser }) => {
  const admin = await coordinatorApi(undefined, 'admin');
  const email = `landa-${Date.now()}@ambulans.test`;
  const invited = await admin.post('/api/accounts', { data: { email, display_name: 'Lena Ambulans', roles: ['responder'] } });
  expect(invited.status()).toBe(201);
  const token = ((await invited.json()).link as string).split('#')[1];
  await admin.dispose();
  const api = await playwrightRequest.newContext({ baseURL: process.env.BASE_URL });
  const accepted = await api.post('/api/invitations/accept', { data: { token, password: PASSWORD } });
  expect(accepted.status()).toBe(200);
  const me = await accepted.json();
  const headers = { 'X-CSRF-Token': me.csrf_token ?? '' };
  const setup = await api.post('/api/auth/totp/setup', { headers });
  expect(setup.ok()).toBe(true);
  const { secret } = await setup.json();
  const step = currentStep();
  expect((await api.post('/api/auth/totp/confirm', { headers, data: { code: totpCode(secret, step) } })).ok()).toBe(true);
  await api.dispose();

  const context = await browser.newContext({ baseURL: process.env.BASE_URL, viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await open(page, '/samordnare/logga-in');
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(PASSWORD);
  await page.locator('main form button[type="submit"]').first().click();
  await expect(page.locator('#totp-code')).toBeVisible();
  await page.locator('#totp-code').fill(totpCode(secret, step + 1));
  await page.locator('main form button[type="submit"]').first().click();
  await expect(page).toHaveURL(/\/samordnare\/uppslag$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Uppslag av adress');
  await test.step('axe: where a responder lands (sv)', () => expectNoAxeViolations(page));
  await context.close();
});
