// The coordinator's side: sign-in with password and two-step verification, sign-out (here and
// everywhere), the inbox's filters in the URL, the access log for administrators, and axe on
// every coordinator page in Swedish and English.
import { test, expect, type Browser, type Page } from '@playwright/test';
import {
  open,
  expectNoAxeViolations,
  submitViaApi,
  EMAIL,
  PASSWORD,
  ADMIN_EMAIL,
  coordinatorApi,
  currentStep,
  nextTotpCode,
  readAuth,
  writeAuth,
  signedInState,
  signInHere,
  signInViaUi,
  submitButton,
  totpCode,
  useLanguage,
} from './helpers';

const LOGIN = /\/samordnare\/logga-in$/;
const INBOX = /\/samordnare\/inkorg$/;

/** A code for a step long gone: always refused, and never the current one. */
function staleCode() {
  return totpCode(readAuth('coordinator')!.secret, currentStep() - 40);
}

async function signedInPage(browser: Browser, who: 'coordinator' | 'admin' = 'coordinator') {
  const context = await browser.newContext({ baseURL: process.env.BASE_URL, storageState: await signedInState(who) });
  return { context, page: await context.newPage() };
}

test('sign-in refuses a wrong password and a wrong code on the field, then password + code opens the inbox', async ({ page, request }) => {
  const description = `Hot via sociala medier ${Date.now()}`;
  await submitViaApi(request, description);

  await open(page, '/samordnare/inkorg');
  await expect(page).toHaveURL(LOGIN);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.locator('#email-error')).toHaveText('Skriv din e-postadress.');
  await expect(page.getByLabel('E-post')).toBeFocused();

  await page.getByLabel('E-post').fill(EMAIL);
  await page.getByLabel('Lösenord').fill('fel lösenord');
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Fel e-post eller lösenord.');
  await expect(page.getByLabel('Lösenord')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Lösenord')).toBeFocused();

  await page.getByLabel('Lösenord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Skriv koden från appen');
  // Half signed in: the reports stay closed until the code is in.
  const half = await page.request.get('/api/reports');
  expect(half.status()).toBe(401);
  expect((await half.json()).error.code).toBe('mfa_required');
  // A reload lands on the same step.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Skriv koden från appen');

  await page.getByRole('button', { name: 'Fortsätt' }).click();
  await expect(page.locator('#totp-code-error')).toHaveText('Skriv koden från appen.');
  await page.getByLabel('Sexsiffrig kod').fill('12345');
  await page.getByRole('button', { name: 'Fortsätt' }).click();
  await expect(page.locator('#totp-code-error')).toHaveText('Koden är sex siffror.');
  await page.getByLabel('Sexsiffrig kod').fill(staleCode());
  await page.getByRole('button', { name: 'Fortsätt' }).click();
  await expect(page.locator('#totp-code-error')).toContainText('Fel kod, eller en kod som redan har använts.');
  await expect(page.getByLabel('Sexsiffrig kod')).toBeFocused();
  await expect(page.getByLabel('Sexsiffrig kod')).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('Sexsiffrig kod').fill(await nextTotpCode('coordinator'));
  await page.getByRole('button', { name: 'Fortsätt' }).click();
  await expect(page).toHaveURL(INBOX);
  await expect(page.getByTestId('report-row').filter({ hasText: description })).toHaveCount(1);
  const bar = page.getByRole('navigation', { name: 'Samordnarmeny' });
  await expect(bar).toContainText('Inloggad som Sara Samordnare');
  await expect(bar.getByRole('link', { name: 'Åtkomstlogg' })).toHaveCount(0);

  await page.getByRole('button', { name: 'Logga ut', exact: true }).click();
  await expect(page).toHaveURL(LOGIN);
  await expect(page.getByRole('status').filter({ hasText: 'Du är utloggad.' })).toBeVisible();
  await open(page, '/samordnare/inkorg');
  await expect(page).toHaveURL(LOGIN);
});

test('sign-in returns to the report that asked for it, and never to another site', async ({ page, request }) => {
  const description = `Tillbaka efter inloggning ${Date.now()}`;
  const { id } = await submitViaApi(request, description);

  // Signed out, a link straight to the report: sign-in, carrying the report's address.
  await open(page, `/samordnare/inkorg/${id}`);
  await expect(page).toHaveURL(new RegExp(`/samordnare/logga-in\\?till=%2Fsamordnare%2Finkorg%2F${id}$`));
  await signInHere(page);
  await expect(page).toHaveURL(new RegExp(`/samordnare/inkorg/${id}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Rapport');
  await expect(page.getByTestId('case-details')).toContainText(description);

  await page.getByRole('button', { name: 'Logga ut', exact: true }).click();
  await expect(page).toHaveURL(LOGIN);

  // A sign-in link that points at another site lands on the inbox instead.
  await open(page, '/samordnare/logga-in?till=https://evil.example/');
  await signInHere(page);
  await expect(page).toHaveURL(INBOX);
  expect(new URL(page.url()).host).toBe(new URL(process.env.BASE_URL!).host);
});

test('a recovery code signs in when the phone is gone, and works only once', async ({ page }) => {
  const record = readAuth('coordinator')!;
  const [recovery, ...rest] = record.recoveryCodes;
  expect(recovery).toBeTruthy();
  writeAuth('coordinator', { ...readAuth('coordinator')!, recoveryCodes: rest });

  const passwordStep = async () => {
    await open(page, '/samordnare/logga-in');
    await page.getByLabel('E-post').fill(EMAIL);
    await page.getByLabel('Lösenord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.getByRole('button', { name: 'Jag har inte telefonen – använd en återställningskod' }).click();
    await expect(page.getByLabel('Återställningskod')).toBeFocused();
  };
  await passwordStep();
  await page.getByLabel('Återställningskod').fill(recovery.toLowerCase());
  await page.getByRole('button', { name: 'Fortsätt' }).click();
  await expect(page).toHaveURL(INBOX);
  await page.getByRole('button', { name: 'Logga ut', exact: true }).click();
  await expect(page).toHaveURL(LOGIN);

  await passwordStep();
  await page.getByLabel('Återställningskod').fill(recovery);
  await page.getByRole('button', { name: 'Fortsätt' }).click();
  await expect(page.locator('#recovery-code-error')).toHaveText('Återställningskoden stämmer inte eller har redan använts.');
  // Back to the app's code, which still works.
  await page.getByRole('button', { name: 'Använd koden från appen i stället' }).click();
  await page.getByLabel('Sexsiffrig kod').fill(await nextTotpCode('coordinator'));
  await page.getByRole('button', { name: 'Fortsätt' }).click();
  await expect(page).toHaveURL(INBOX);
});

test('"sign out on all devices" ends the other sessions too', async ({ page, browser }) => {
  await signInViaUi(page);
  const other = await signedInPage(browser);
  await open(other.page, '/samordnare/inkorg');
  await expect(other.page).toHaveURL(INBOX);

  await page.getByRole('button', { name: 'Logga ut på alla enheter' }).click();
  await expect(page).toHaveURL(LOGIN);
  await expect(page.getByRole('status').filter({ hasText: 'Du är utloggad på alla enheter.' })).toBeVisible();
  await other.page.reload();
  await expect(other.page).toHaveURL(LOGIN);
  await other.context.close();
});

test('inbox filters live in the URL: search, status, assignee, sort, unread; reload and back keep them; more on request', async ({ browser }) => {
  test.setTimeout(90_000);
  const api = await coordinatorApi();
  const me = await (await api.get('/api/auth/me')).json();
  const tag = `filter${Date.now()}`;
  const ids: string[] = [];
  for (const word of ['alfa', 'beta', 'gamma']) ids.push((await submitViaApi(api, `${tag} ${word}`)).id);
  const triage = await api.patch(`/api/reports/${ids[0]}`, {
    data: { status: 'in_progress', severity: 'high', closed_reason: '', assignee: me.id },
  });
  expect(triage.status()).toBe(200);
  const bulk = `fyll${Date.now()}`;
  for (let i = 0; i < 51; i++) await submitViaApi(api, `${bulk} nummer ${i}`);
  await api.dispose();

  const { context, page } = await signedInPage(browser);
  const rows = page.getByTestId('report-row');
  await open(page, '/samordnare/inkorg');
  // Keyboard: type the words and press Enter.
  await page.getByLabel('Sök i rapporterna').fill(tag);
  await page.getByLabel('Sök i rapporterna').press('Enter');
  await expect(page).toHaveURL(new RegExp(`\\?q=${tag}$`));
  await expect(rows).toHaveCount(3);
  await expect(rows.first()).toContainText('gamma');
  await expect(page.getByTestId('status-count-all')).toContainText('(3)');
  await expect(page.getByTestId('status-count-new')).toContainText('(2)');
  await expect(page.getByTestId('status-count-in_progress')).toContainText('(1)');
  await expect(page.getByTestId('status-count-closed')).toContainText('(0)');
  // New to this coordinator: all three are unread.
  await expect(rows.filter({ hasText: 'Oläst' })).toHaveCount(3);

  await page.getByTestId('status-count-in_progress').click();
  await expect(page).toHaveURL(/status=in_progress/);
  await expect(page.getByTestId('status-count-in_progress')).toHaveAttribute('aria-current', 'page');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('alfa');
  await expect(rows.first()).toContainText('Hög');
  await expect(rows.first()).toContainText('Sara Samordnare (du)');

  // More filters, opened and used with the keyboard.
  await page.getByText('Fler filter').focus();
  await page.keyboard.press('Enter');
  await page.getByLabel('Handläggare').selectOption('me');
  await page.getByRole('button', { name: 'Använd filtren' }).click();
  await expect(page).toHaveURL(/assignee=me/);
  await expect(rows).toHaveCount(1);
  await page.getByLabel('Handläggare').selectOption('none');
  await page.getByRole('button', { name: 'Använd filtren' }).click();
  await expect(page).toHaveURL(/assignee=none/);
  await expect(rows).toHaveCount(0);
  await expect(page.getByText('Inga rapporter passar filtren.')).toBeVisible();

  // A reload keeps the filters, and back goes to the previous ones.
  await page.reload();
  await expect(page.locator('main#main')).toBeVisible();
  await expect(page.getByLabel('Handläggare')).toHaveValue('none');
  await expect(page.getByLabel('Sök i rapporterna')).toHaveValue(tag);
  await expect(page.getByText('Inga rapporter passar filtren.')).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/assignee=me/);
  await expect(rows).toHaveCount(1);
  await expect(page.getByLabel('Handläggare')).toHaveValue('me');

  // Oldest first.
  await open(page, `/samordnare/inkorg?q=${tag}&sort=oldest`);
  await expect(rows).toHaveCount(3);
  await expect(rows.first()).toContainText('alfa');
  await expect(page.getByLabel('Ordning')).toHaveValue('oldest');

  // Opening a report marks it read.
  await rows.filter({ hasText: 'beta' }).getByRole('link').click();
  await expect(page.getByTestId('case-details')).toContainText(`${tag} beta`);
  await page.goBack();
  await expect(rows).toHaveCount(3);
  await expect(rows.filter({ hasText: 'beta' })).not.toContainText('Oläst');
  await expect(rows.filter({ hasText: 'gamma' })).toContainText('Oläst');

  // 51 matches: 50, then the rest on request.
  await open(page, `/samordnare/inkorg?q=${bulk}`);
  await expect(rows).toHaveCount(50);
  await page.getByRole('button', { name: 'Visa fler' }).click();
  await expect(rows).toHaveCount(51);
  await expect(page.getByRole('button', { name: 'Visa fler' })).toHaveCount(0);
  // Nothing sticks out of a 360-px screen (the table scrolls inside its own region).
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await context.close();
});

test('a coordinator opening the access log is refused; the administrator sees it and the chain verifies', async ({ browser }) => {
  test.setTimeout(90_000);
  const api = await coordinatorApi();
  const { id } = await submitViaApi(api, `Loggad läsning ${Date.now()}`);
  // 101 reads: more than one page of the log.
  for (let i = 0; i < 101; i++) expect((await api.get(`/api/reports/${id}`)).status()).toBe(200);
  await api.dispose();

  const coordinator = await signedInPage(browser);
  await open(coordinator.page, '/samordnare/logg');
  await expect(coordinator.page.getByRole('alert')).toHaveText('Bara administratörer kan se åtkomstloggen.');
  await expect(coordinator.page.getByTestId('audit-row')).toHaveCount(0);
  await expect(coordinator.page.getByRole('button', { name: 'Kontrollera kedjan' })).toHaveCount(0);
  await coordinator.context.close();

  const admin = await signedInPage(browser, 'admin');
  const page = admin.page;
  await open(page, '/samordnare/inkorg');
  await page.getByRole('navigation', { name: 'Samordnarmeny' }).getByRole('link', { name: 'Åtkomstlogg' }).click();
  await expect(page).toHaveURL(/\/samordnare\/logg$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Åtkomstlogg');
  const rows = page.getByTestId('audit-row');
  await expect(rows).toHaveCount(100);
  await expect(rows.first()).toContainText('Sara Samordnare');
  await expect(rows.first()).toContainText('Läste rapporten');
  await expect(rows.first().getByRole('link')).toHaveAttribute('href', `/samordnare/inkorg/${id}`);
  await page.getByRole('button', { name: 'Visa fler' }).click();
  await expect.poll(() => rows.count()).toBeGreaterThan(100);

  await page.getByRole('button', { name: 'Kontrollera kedjan' }).click();
  await expect(page.getByTestId('audit-verdict')).toHaveText(/^Kedjan är hel: alla \d+ poster stämmer\.$/);
  const checked = Number((await page.getByTestId('audit-verdict').textContent())!.match(/\d+/)![0]);
  expect(checked).toBeGreaterThanOrEqual(102);
  await expect(page.getByRole('navigation', { name: 'Samordnarmeny' })).toContainText('Inloggad som Adam Admin');
  expect(ADMIN_EMAIL).toContain('@');
  await admin.context.close();
});

async function axeOn(page: Page, what: string) {
  await test.step(`axe: ${what}`, () => expectNoAxeViolations(page));
}

for (const lang of ['sv', 'en'] as const) {
  test(`every coordinator page has no accessibility violations (${lang})`, async ({ page, browser, request }) => {
    test.setTimeout(120_000);
    const en = lang === 'en';
    const { id } = await submitViaApi(request, `Tillgänglighetskontroll ${lang} ${Date.now()}`);

    await open(page, '/samordnare/logga-in');
    await useLanguage(page, lang);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(en ? 'Sign in as a coordinator' : 'Logga in som samordnare');
    await axeOn(page, 'sign-in');
    await page.locator('#email').fill(EMAIL);
    await submitButton(page).click();
    await expect(page.locator('#password-error')).toHaveText(en ? 'Enter your password.' : 'Skriv ditt lösenord.');
    await axeOn(page, 'sign-in with an error');
    await page.locator('#password').fill(PASSWORD);
    await submitButton(page).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(en ? 'Enter the code from your app' : 'Skriv koden från appen');
    await axeOn(page, 'code step');
    await page.locator('#totp-code').fill(staleCode());
    await submitButton(page).click();
    await expect(page.locator('#totp-code-error')).toContainText(en ? 'Wrong code' : 'Fel kod');
    await axeOn(page, 'code step with an error');
    await page.locator('#totp-code').fill(await nextTotpCode('coordinator'));
    await submitButton(page).click();
    await expect(page).toHaveURL(INBOX);
    await expect(page.getByTestId('report-row').first()).toBeVisible();
    await page.locator('summary').click();
    await axeOn(page, 'inbox with the filters open');

    await open(page, `/samordnare/inkorg/${id}`);
    await expect(page.getByTestId('case-details')).toContainText('Tillgänglighetskontroll');
    await expect(page.locator('#triage-assignee option')).not.toHaveCount(1);
    await axeOn(page, 'report');
    await page.locator('#triage-status').selectOption('closed');
    await submitButton(page).click();
    await expect(page.locator('#triage-closed_reason-error')).toBeVisible();
    await axeOn(page, 'report with an error');

    await open(page, '/samordnare/logg');
    await expect(page.getByRole('alert')).toHaveText(
      en ? 'Only administrators can see the access log.' : 'Bara administratörer kan se åtkomstloggen.',
    );
    await axeOn(page, 'access log, refused');

    const admin = await signedInPage(browser, 'admin');
    await open(admin.page, '/samordnare/logg');
    await useLanguage(admin.page, lang);
    await expect(admin.page.getByTestId('audit-row').first()).toBeVisible();
    await admin.page.getByRole('button', { name: en ? 'Verify the chain' : 'Kontrollera kedjan' }).click();
    await expect(admin.page.getByTestId('audit-verdict')).toContainText(en ? 'The chain is intact' : 'Kedjan är hel');
    await axeOn(admin.page, 'access log');
    await admin.context.close();
  });
}
