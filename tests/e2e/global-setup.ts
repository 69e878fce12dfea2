// The "setup" project (see playwright.config.ts): runs before every spec, on a fresh server.
// - The coordinator is signed in through the API: TOTP is switched on (setup → confirm with a
//   code computed in node) and the session saved under tests/e2e/.auth/ (git-ignored).
// - The administrator switches two-step verification on through the browser, as a person would:
//   QR code and key on screen, the code computed in node from the key shown, the recovery codes
//   shown once; the pages are checked with axe in Swedish and English on the way.
// Tests then use `coordinatorApi()`/`adminApi()`, `signedInState(who)`, `signInViaUi()` and
// `nextTotpCode(who)` from helpers.ts.
import { test as setup, expect, request } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  AUTH_DIR,
  currentStep,
  expectNoAxeViolations,
  open,
  readAuth,
  recordUsedStep,
  signInApi,
  storageStateOf,
  submitButton,
  totpCode,
  useLanguage,
  writeAuth,
  type Who,
} from './helpers';

setup('the TOTP helper matches RFC 6238', () => {
  // Appendix B, SHA-1, T = 59 s (step 1): 94287082, of which the last six digits are the code.
  expect(totpCode(Buffer.from('12345678901234567890', 'ascii'), 1)).toBe('287082');
  expect(totpCode(Buffer.from('12345678901234567890', 'ascii'), Math.floor(1111111109 / 30))).toBe('081804');
});

async function signInThroughApi(who: Who) {
  mkdirSync(AUTH_DIR, { recursive: true });
  const api = await request.newContext({ baseURL: process.env.BASE_URL });
  try {
    const csrf = await signInApi(api, who);
    await api.storageState({ path: storageStateOf(who) });
    const record = readAuth(who);
    expect(record, `TOTP record for ${who}`).not.toBeNull();
    writeAuth(who, { ...record!, csrf });
    const me = await (await api.get('/api/auth/me')).json();
    expect(me.totp_enabled).toBe(true);
  } finally {
    await api.dispose();
  }
}

setup('the coordinator signs in through the API with two-step verification', async () => {
  await signInThroughApi('coordinator');
});

setup('the administrator switches on two-step verification in the browser', async ({ page, request: api }) => {
  setup.setTimeout(90_000);
  const probe = await api.post('/api/auth/login', { data: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
  expect(probe.status()).toBe(200);
  if (!(await probe.json()).enrolment_required) {
    // Not a fresh server (the tests ran against it before): the account is enrolled already.
    setup.info().annotations.push({ type: 'note', description: 'admin already enrolled; signed in through the API' });
    await signInThroughApi('admin');
    return;
  }

  await open(page, '/samordnare/logga-in');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Logga in som samordnare');
  await page.locator('#email').fill(ADMIN_EMAIL);
  await page.locator('#password').fill(ADMIN_PASSWORD);
  await submitButton(page).click();

  // Enrolment: the QR code and the key to type by hand.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Slå på tvåstegsverifiering');
  const qr = page.getByRole('img', { name: 'QR-kod att skanna med autentiseringsappen' });
  await expect(qr).toBeVisible();
  await expect(qr.locator('svg')).toBeVisible();
  const box = await qr.boundingBox();
  expect(box!.width).toBeGreaterThanOrEqual(150);
  expect(box!.x + box!.width).toBeLessThanOrEqual(360);
  const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await expectNoAxeViolations(page);

  // Switching language keeps the same key (the person may have scanned it already).
  await useLanguage(page, 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Switch on two-step verification');
  await expect(page.getByTestId('totp-secret')).toHaveText(secret.replace(/(.{4})(?!$)/g, '$1 '));
  await expectNoAxeViolations(page);

  // A wrong code is refused on the field, in the person's language.
  const step = currentStep();
  await page.locator('#enrol-code').fill(totpCode(secret, step - 40));
  await submitButton(page).click();
  await expect(page.locator('#enrol-code-error')).toHaveText(/^Wrong code/);
  await expect(page.locator('#enrol-code')).toHaveAttribute('aria-invalid', 'true');
  await expectNoAxeViolations(page);
  await useLanguage(page, 'sv');

  // The code the app would show now switches it on; the ten recovery codes are shown once.
  await page.locator('#enrol-code').fill(totpCode(secret, step));
  await submitButton(page).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Spara dina återställningskoder');
  const codes = page.getByTestId('recovery-codes').locator('li');
  await expect(codes).toHaveCount(10);
  const recoveryCodes = (await codes.allTextContents()).map((c) => c.trim());
  for (const c of recoveryCodes) expect(c).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
  await recordUsedStep('admin', secret, step, { recoveryCodes });
  await expectNoAxeViolations(page);
  // A language switch does not lose them.
  await useLanguage(page, 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Save your recovery codes');
  await expect(codes).toHaveText(recoveryCodes);
  await expectNoAxeViolations(page);
  await useLanguage(page, 'sv');

  await page.getByRole('button', { name: 'Jag har sparat dem – fortsätt' }).click();
  await expect(page).toHaveURL(/\/samordnare\/inkorg$/);
  // The administrator sees the access log in the coordinator bar.
  await expect(page.getByRole('navigation', { name: 'Samordnarmeny' }).getByRole('link', { name: 'Åtkomstlogg' })).toBeVisible();

  // Keep this session for the tests.
  const me = await (await page.request.get('/api/auth/me')).json();
  expect(me.totp_enabled).toBe(true);
  expect(me.mfa_required || me.enrolment_required).toBe(false);
  await page.context().storageState({ path: storageStateOf('admin') });
  writeAuth('admin', { ...readAuth('admin')!, csrf: me.csrf_token });
});
