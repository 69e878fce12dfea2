// Shared steps: wait for the wasm app, run axe, submit a report through the API.
import { expect, test, request as playwrightRequest, type Page, type APIRequestContext, type APIResponse } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { createHmac, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join as pathJoin } from 'node:path';

export const EMAIL = process.env.E2E_EMAIL ?? '';
export const PASSWORD = process.env.E2E_PASSWORD ?? '';

/** Opens a route and waits until the app has rendered its main landmark. */
export async function open(page: Page, path: string) {
  await page.goto(path);
  await expect(page.locator('main#main')).toBeVisible();
}

/** WCAG 2.1 A/AA rules from axe-core; the page must have no violation at all. */
export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary).toEqual([]);
}

/** Files a valid anonymous report through the API; returns its receipt. */
export async function submitViaApi(request: APIRequestContext, description: string) {
  const res = await request.post('/api/reports', {
    headers: { 'Idempotency-Key': randomUUID() },
    data: {
      kind: 'harassment',
      channel: 'social_media',
      occurred_at: new Date(Date.now() - 3600_000).toISOString(),
      description,
      role: 'elected_official',
      identity: 'anonymous',
    },
  });
  expect(res.status()).toBe(201);
  return (await res.json()) as { id: string; receipt_code: string };
}

// ---------------------------------------------------------------------------------------------
// Coordinator and admin sign-in with two-factor (TOTP) for the tests.
//
// global-setup.ts signs both test accounts in through the API before any test runs, switches
// TOTP on for them (setup → confirm with a code computed here) and keeps, under tests/e2e/.auth/
// (git-ignored): `<who>.json` (secret, last TOTP step used, CSRF token, recovery codes) and
// `<who>.storage.json` (the signed-in cookie, for `test.use({ storageState: storageStateOf(who) })`).
//
// REPLAY PROTECTION: the server accepts a code for the previous, current or next 30-s step, but
// never a step at or below the last one it accepted for that account. So every sign-in after the
// first must use a LATER step: `nextTotpCode(who)` takes the code for max(last used step + 1,
// current step), records the step in `<who>.json`, and waits for the next 30-s step when the
// next one is already used. Always get codes through it (never `totpCode(secret, currentStep())`
// twice in a row), or the second sign-in fails with `invalid_code`.
// ---------------------------------------------------------------------------------------------

export const ADMIN_EMAIL = process.env.E2E_ADMIN_EMAIL ?? '';
export const ADMIN_PASSWORD = process.env.E2E_ADMIN_PASSWORD ?? '';

/** The two accounts scripts/e2e.sh creates. */
export type Who = 'coordinator' | 'admin';

export function credentialsOf(who: Who) {
  return who === 'admin' ? { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } : { email: EMAIL, password: PASSWORD };
}

export const AUTH_DIR = pathJoin(__dirname, '.auth');

/** What the tests remember about an account's sign-in. */
export interface AuthRecord {
  email: string;
  /** Base32 TOTP secret as the server gave it. */
  secret: string;
  /** The last 30-s step whose code was sent (accepted or not). */
  lastStep: number;
  /** The CSRF token of the session in `<who>.storage.json`. */
  csrf: string;
  recoveryCodes: string[];
}

/** Path of the saved signed-in browser state of `who`. */
export function storageStateOf(who: Who) {
  return pathJoin(AUTH_DIR, `${who}.storage.json`);
}

function recordPath(who: Who) {
  return pathJoin(AUTH_DIR, `${who}.json`);
}

export function readAuth(who: Who): AuthRecord | null {
  try {
    return JSON.parse(readFileSync(recordPath(who), 'utf8')) as AuthRecord;
  } catch {
    return null;
  }
}

export function writeAuth(who: Who, record: AuthRecord) {
  mkdirSync(AUTH_DIR, { recursive: true });
  const tmp = `${recordPath(who)}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(record, null, 2));
  renameSync(tmp, recordPath(who));
}

/** RFC 4648 base32 (upper or lower case, padding and spaces ignored) to bytes. */
export function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = text.toUpperCase().replace(/[\s=-]/g, '');
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of clean) {
    const i = alphabet.indexOf(c);
    if (i < 0) throw new Error(`not base32: ${c}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export const TOTP_STEP_SECS = 30;

/** The current 30-s TOTP step. */
export function currentStep(nowMs = Date.now()) {
  return Math.floor(nowMs / 1000 / TOTP_STEP_SECS);
}

/** RFC 6238 TOTP: HMAC-SHA-1, 6 digits, for one 30-s `step`; `secret` is base32 (or raw bytes). */
export function totpCode(secret: string | Buffer, step: number): string {
  const key = typeof secret === 'string' ? base32Decode(secret) : secret;
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary =
    ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return String(binary % 1_000_000).padStart(6, '0');
}

/** Serialises read-modify-write of `<who>.json` across processes (Playwright workers). */
async function withLock<T>(who: Who, fn: () => Promise<T> | T): Promise<T> {
  mkdirSync(AUTH_DIR, { recursive: true });
  const lock = pathJoin(AUTH_DIR, `${who}.lock`);
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() - started > 90_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * A fresh, never-used TOTP code for `who` (see REPLAY PROTECTION above): the code for
 * max(last used step + 1, current step), waiting for the clock when that step is more than
 * one ahead. The step is recorded before the code is returned.
 */
export async function nextTotpCode(who: Who): Promise<string> {
  return withLock(who, async () => {
    const record = readAuth(who);
    if (!record?.secret) throw new Error(`no TOTP secret for ${who}: did global-setup.ts run?`);
    const step = Math.max(record.lastStep + 1, currentStep());
    // The server accepts up to one step ahead of its clock; wait while `step` is further away,
    // and give the running test that much more time.
    const waitMs = Math.max(0, (step - 1) * TOTP_STEP_SECS * 1000 - Date.now());
    if (waitMs > 0) {
      try {
        test.info().setTimeout(test.info().timeout + waitMs + 1000);
      } catch {
        // Not inside a test (e.g. a script): nothing to extend.
      }
    }
    while (step > currentStep() + 1) await new Promise((r) => setTimeout(r, 250));
    writeAuth(who, { ...record, lastStep: step });
    return totpCode(record.secret, step);
  });
}

/** Records that `step` was used (e.g. by enrolment), so that `nextTotpCode` moves past it. */
export async function recordUsedStep(who: Who, secret: string, step: number, extra: Partial<AuthRecord> = {}) {
  await withLock(who, () => {
    const old = readAuth(who);
    const base: AuthRecord = old && old.secret === secret ? old : { email: credentialsOf(who).email, secret, lastStep: 0, csrf: '', recoveryCodes: [] };
    writeAuth(who, { ...base, ...extra, secret, lastStep: Math.max(base.lastStep, step) });
  });
}

async function expectOk(res: APIResponse, what: string) {
  if (!res.ok()) throw new Error(`${what}: HTTP ${res.status()} ${await res.text()}`);
}

/**
 * Signs `who` in on `api` (password, then the TOTP step; switching TOTP on first when the
 * account has none yet) and returns the session's CSRF token. The cookie stays in `api`.
 */
export async function signInApi(api: APIRequestContext, who: Who): Promise<string> {
  const { email, password } = credentialsOf(who);
  if (!email || !password) throw new Error('E2E_EMAIL/E2E_PASSWORD/E2E_ADMIN_*: run the tests through scripts/e2e.sh');
  const login = await api.post('/api/auth/login', { data: { email, password } });
  await expectOk(login, `sign-in of ${who}`);
  const me = await login.json();
  const csrf: string = me.csrf_token ?? '';
  const headers = { 'X-CSRF-Token': csrf };
  if (me.mfa_required) {
    const res = await api.post('/api/auth/totp', { headers, data: { code: await nextTotpCode(who) } });
    await expectOk(res, `TOTP step of ${who}`);
  } else if (!me.totp_enabled) {
    const setup = await api.post('/api/auth/totp/setup', { headers });
    await expectOk(setup, `TOTP setup of ${who}`);
    const { secret } = (await setup.json()) as { secret: string; otpauth_uri: string };
    const step = currentStep();
    const confirm = await api.post('/api/auth/totp/confirm', { headers, data: { code: totpCode(secret, step) } });
    await expectOk(confirm, `TOTP confirm of ${who}`);
    const { recovery_codes } = (await confirm.json()) as { recovery_codes: string[] };
    await recordUsedStep(who, secret, step, { recoveryCodes: recovery_codes });
  }
  const check = await api.get('/api/auth/me');
  await expectOk(check, `me of ${who}`);
  const after = await check.json();
  if (after.mfa_required || after.enrolment_required) throw new Error(`${who} is still half signed in`);
  return after.csrf_token ?? csrf;
}

type RequestFactory = { newContext: typeof playwrightRequest.newContext };

/**
 * An API context signed in as `who` (default: the coordinator) that sends the session's
 * `X-CSRF-Token` on every request. Reuses the session global-setup.ts saved; when that one has
 * ended (a test signed out, or "sign out everywhere"), signs in again with the next TOTP code and
 * saves the new session. Dispose it when done (`await api.dispose()`).
 * Call as `coordinatorApi(playwright)` from a test, or `coordinatorApi()`.
 */
export async function coordinatorApi(
  playwright?: { request: RequestFactory },
  who: Who = 'coordinator',
): Promise<APIRequestContext> {
  const factory: RequestFactory = playwright?.request ?? playwrightRequest;
  const baseURL = process.env.BASE_URL;
  const record = readAuth(who);
  if (record && existsSync(storageStateOf(who))) {
    const api = await factory.newContext({
      baseURL,
      storageState: storageStateOf(who),
      extraHTTPHeaders: { 'X-CSRF-Token': record.csrf },
    });
    const me = await api.get('/api/auth/me');
    if (me.ok() && !(await me.json()).mfa_required) return api;
    await api.dispose();
  }
  const fresh = await factory.newContext({ baseURL });
  const csrf = await signInApi(fresh, who);
  await fresh.storageState({ path: storageStateOf(who) });
  const saved = readAuth(who);
  if (saved) writeAuth(who, { ...saved, csrf });
  await fresh.dispose();
  return factory.newContext({ baseURL, storageState: storageStateOf(who), extraHTTPHeaders: { 'X-CSRF-Token': csrf } });
}

/** The administrator's API context; see `coordinatorApi`. */
export function adminApi(playwright?: { request: RequestFactory }) {
  return coordinatorApi(playwright, 'admin');
}

/** How many inbox rows match the free-text query `text` (follows every page). */
export async function countReports(api: APIRequestContext, text: string): Promise<number> {
  let count = 0;
  let before: string | null = null;
  do {
    const params: Record<string, string> = { q: text, limit: '100' };
    if (before) params.before = before;
    const res = await api.get('/api/reports', { params });
    await expectOk(res, 'inbox');
    const page = (await res.json()) as { items: unknown[]; next_cursor: string | null };
    count += page.items.length;
    before = page.next_cursor;
  } while (before);
  return count;
}

/**
 * The saved signed-in browser state of `who`, made sure to be a live session first (a test may
 * have signed out everywhere). Use as `browser.newContext({ storageState: await signedInState() })`.
 * Tests that sign out should sign in through the UI instead, so that they end only their own session.
 */
export async function signedInState(who: Who = 'coordinator') {
  const api = await coordinatorApi(undefined, who);
  await api.dispose();
  return storageStateOf(who);
}

/** The submit button of the form on the page (each sign-in step has one form). */
export function submitButton(page: Page) {
  return page.locator('main form button[type="submit"]').first();
}

/**
 * Signs `who` in through the browser: e-mail and password, then the next unused TOTP code; ends
 * on the inbox. Uses element ids, so it works in either language.
 */
export async function signInViaUi(page: Page, who: Who = 'coordinator') {
  await open(page, '/samordnare/logga-in');
  await signInHere(page, who);
  await expect(page).toHaveURL(/\/samordnare\/inkorg$/);
}

/** Switches the app to `lang` with the header's language button (no-op when already there). */
export async function useLanguage(page: Page, lang: 'sv' | 'en') {
  const current = await page.locator('html').getAttribute('lang');
  if (current !== lang) {
    await page.locator('#lang-switch').click();
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
  }
}

/**
 * On a sign-in page that is already open (e.g. where a deep link was sent): e-mail and password,
 * then the next unused TOTP code. Does not check where it lands; the caller does.
 */
export async function signInHere(page: Page, who: Who = 'coordinator') {
  const { email, password } = credentialsOf(who);
  await expect(page.locator('#email')).toBeVisible();
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await submitButton(page).click();
  await expect(page.locator('#totp-code')).toBeVisible();
  await page.locator('#totp-code').fill(await nextTotpCode(who));
  await submitButton(page).click();
}
