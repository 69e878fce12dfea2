// Risk flags for crews (issue 17): a coordinator proposes a flag on a report's page, a second
// coordinator (the administrator, who is a coordinator too) approves it, and a responder's
// look-up of the address — spelt differently — shows the guidance; axe on the report's flag
// section and the look-up page in Swedish and English, the look-up at 360 px.
import { test, expect, request as playwrightRequest, type Browser, type Page } from '@playwright/test';
import { open, expectNoAxeViolations, submitViaApi, signedInState, useLanguage, coordinatorApi, totpCode, currentStep } from './helpers';

const LOOKUP = '/samordnare/uppslag';
const RESPONDER_PASSWORD = 'ett långt lösenord för ambulansen';

async function signedInPage(browser: Browser, who: 'coordinator' | 'admin') {
  const context = await browser.newContext({ baseURL: process.env.BASE_URL, storageState: await signedInState(who) });
  return { context, page: await context.newPage() };
}

/** An administrator invites a responder, who accepts and switches on two-step verification. */
async function responderState(): Promise<string> {
  const admin = await coordinatorApi(undefined, 'admin');
  const email = `rut-${Date.now()}@ambulans.test`;
  const invited = await admin.post('/api/accounts', { data: { email, display_name: 'Rut Ambulans', roles: ['responder'] } });
  expect(invited.status()).toBe(201);
  const token = ((await invited.json()).link as string).split('#')[1];
  await admin.dispose();
  const api = await playwrightRequest.newContext({ baseURL: process.env.BASE_URL });
  const accepted = await api.post('/api/invitations/accept', { data: { token, password: RESPONDER_PASSWORD } });
  expect(accepted.status()).toBe(200);
  const me = await accepted.json();
  const headers = { 'X-CSRF-Token': me.csrf_token ?? '' };
  if (!me.totp_enabled) {
    const setup = await api.post('/api/auth/totp/setup', { headers });
    expect(setup.ok()).toBe(true);
    const { secret } = await setup.json();
    const confirm = await api.post('/api/auth/totp/confirm', { headers, data: { code: totpCode(secret, currentStep()) } });
    expect(confirm.ok()).toBe(true);
  }
  const path = `.auth/responder-${Date.now()}.storage.json`;
  await api.storageState({ path });
  await api.dispose();
  return path;
}

async function fitsThePhone(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
}

test('propose → a second coordinator approves → a responder looks the address up and sees the guidance', async ({ browser, request }) => {
  test.setTimeout(120_000);
  const receipt = await submitViaApi(request, 'Hot med kniv vid hembesök.');
  const reportPath = `/samordnare/inkorg/${receipt.id}`;

  const sara = await signedInPage(browser, 'coordinator');
  await open(sara.page, reportPath);
  const section = sara.page.getByTestId('flags-section');
  await expect(section.getByRole('heading', { name: 'Riskflagga', exact: true })).toBeVisible();
  await section.getByLabel('Adress', { exact: true }).fill('Storgatan');
  await section.getByRole('button', { name: 'Föreslå flagga' }).click();
  await expect(sara.page.locator('#flag-address-error')).toHaveText('Skriv en fullständig adress: gata, nummer och postnummer eller ort.');
  await expect(section.getByLabel('Adress', { exact: true })).toHaveValue('Storgatan');
  await test.step('axe: the flag form with an error (sv)', () => expectNoAxeViolations(sara.page));
  await section.getByLabel('Adress', { exact: true }).fill('Storgatan 12 B, 123 45 Stockholm');
  await section.getByLabel('Nivå').selectOption('police_escort');
  await section.getByLabel('Kategori').selectOption('weapon');
  await section.getByLabel('Råd till personalen (svenska)').fill('Vänta på polis vid uppsamlingsplatsen.');
  await section.getByLabel('Råd till personalen (engelska)').fill('Wait for the police at the staging point.');
  await section.getByLabel('Skäl (internt)').fill('Kniv mot personal.');
  await section.getByRole('button', { name: 'Föreslå flagga' }).click();
  await expect(section.getByText('Flaggan är föreslagen')).toBeVisible();
  await expect(section.getByTestId('flag-state')).toHaveText('Föreslagen');
  // The proposer cannot approve their own flag.
  await section.getByRole('button', { name: 'Godkänn' }).click();
  await expect(section.getByText('Du föreslog flaggan')).toBeVisible();
  await expect(section.getByTestId('flag-state')).toHaveText('Föreslagen');
  await sara.context.close();

  const adam = await signedInPage(browser, 'admin');
  await open(adam.page, reportPath);
  const theirs = adam.page.getByTestId('flags-section');
  await theirs.getByRole('button', { name: 'Godkänn' }).click();
  await expect(theirs.getByTestId('flag-state')).toHaveText('Aktiv');
  await useLanguage(adam.page, 'en');
  await expect(theirs.getByRole('heading', { name: 'Risk flag', exact: true })).toBeVisible();
  await test.step('axe: the flag section (en)', () => expectNoAxeViolations(adam.page));
  await adam.context.close();

  const context = await browser.newContext({ baseURL: process.env.BASE_URL, storageState: await responderState(), viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await open(page, LOOKUP);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Uppslag av adress');
  await page.getByLabel('Adress').fill('storg. 12b 12345');
  await page.getByRole('button', { name: 'Slå upp' }).click();
  await expect(page.locator('#lookup-purpose-error')).toHaveText('Fyll i fältet.');
  await expect(page.getByLabel('Adress')).toHaveValue('storg. 12b 12345');
  await page.getByLabel('Syfte').fill('Larm 4711');
  await page.getByRole('button', { name: 'Slå upp' }).click();
  const result = page.getByTestId('lookup-result');
  await expect(result).toContainText('Polisbiträde');
  await expect(result).toContainText('Vapen');
  await expect(result).toContainText('Vänta på polis vid uppsamlingsplatsen.');
  await expect(result).not.toContainText('Kniv');
  await fitsThePhone(page);
  await test.step('axe: the look-up with a flag (sv)', () => expectNoAxeViolations(page));
  await page.getByLabel('Adress').fill('Storgatan 14, 123 45 Stockholm');
  await page.getByRole('button', { name: 'Slå upp' }).click();
  await expect(result).toContainText('Ingen riskflagga för adressen.');
  await useLanguage(page, 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Address look-up');
  await page.getByLabel('Address').fill('Storgatan 12 B, 123 45 Stockholm');
  await page.getByLabel('Purpose').fill('Call 4712');
  await page.getByRole('button', { name: 'Look up' }).click();
  await expect(result).toContainText('Wait for the police at the staging point.');
  await fitsThePhone(page);
  await test.step('axe: the look-up (en)', () => expectNoAxeViolations(page));
  await context.close();
});

test('an administrator creates a dispatch token (shown once), it looks up, and revoking it stops it', async ({ browser, playwright }) => {
  const adam = await signedInPage(browser, 'admin');
  const page = adam.page;
  await open(page, '/samordnare/admin');
  await page.getByRole('link', { name: 'Uppslagsnycklar' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Uppslagsnycklar');
  await page.getByRole('button', { name: 'Skapa nyckel' }).click();
  await expect(page.locator('#token-name-error')).toHaveText('Fyll i fältet.');
  await page.getByLabel('Systemets namn').fill('SOS Alarm Nord');
  await page.getByRole('button', { name: 'Skapa nyckel' }).click();
  const token = (await page.locator('code').textContent()) ?? '';
  expect(token.length).toBeGreaterThan(20);
  await test.step('axe: tokens (sv)', () => expectNoAxeViolations(page));
  const api = await playwright.request.newContext({ baseURL: process.env.BASE_URL });
  const lookup = () =>
    api.post('/api/lookup', { headers: { Authorization: `Bearer ${token}` }, data: { address: 'Storgatan 1, Umeå', purpose: 'Test' } });
  expect((await lookup()).status()).toBe(200);
  await page.getByRole('button', { name: 'Återkalla SOS Alarm Nord' }).click();
  await expect(page.getByText('Återkallad').first()).toBeVisible();
  expect((await lookup()).status()).toBe(401);
  await useLanguage(page, 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Look-up tokens');
  await test.step('axe: tokens (en)', () => expectNoAxeViolations(page));
  await api.dispose();
  await adam.context.close();
});
