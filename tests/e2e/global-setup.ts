// Runs once before the browser tests: signs the coordinator and the administrator in through the
// API, switches two-factor sign-in (TOTP) on for each (setup → confirm with a code computed in
// node), and saves each one's secret, last used TOTP step, CSRF token and signed-in cookies under
// tests/e2e/.auth/ (git-ignored). Tests then use `coordinatorApi()`/`adminApi()`,
// `storageStateOf(who)` and `nextTotpCode(who)` from helpers.ts.
import { request, type FullConfig } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { AUTH_DIR, readAuth, signInApi, storageStateOf, totpCode, writeAuth, type Who } from './helpers';

/** RFC 6238 appendix B, SHA-1, T = 59 s (step 1): 94287082, whose last six digits are the code. */
function checkTotpAgainstRfc() {
  const got = totpCode(Buffer.from('12345678901234567890', 'ascii'), 1);
  if (got !== '287082') throw new Error(`TOTP helper is wrong: ${got} for the RFC 6238 vector`);
}

export default async function globalSetup(config: FullConfig) {
  checkTotpAgainstRfc();
  const baseURL = process.env.BASE_URL ?? config.projects[0]?.use.baseURL;
  if (!baseURL) throw new Error('BASE_URL is not set: run the tests through scripts/e2e.sh');
  mkdirSync(AUTH_DIR, { recursive: true });
  for (const who of ['coordinator', 'admin'] as Who[]) {
    const api = await request.newContext({ baseURL });
    try {
      const csrf = await signInApi(api, who);
      await api.storageState({ path: storageStateOf(who) });
      const record = readAuth(who);
      if (!record) throw new Error(`no TOTP record for ${who} after sign-in`);
      writeAuth(who, { ...record, csrf });
    } finally {
      await api.dispose();
    }
  }
}
