// Playwright drives Debian's Chromium (never a downloaded browser) against the real server that
// scripts/test.sh started on BASE_URL, over the release build of the app, on a 360-px-wide phone.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  // First the "setup" project (global-setup.ts): the coordinator signs in through the API and the
  // administrator switches on two-step verification in the browser, each saving their session
  // under tests/e2e/.auth/ (see helpers.ts). Every spec depends on it, so it also runs before
  // `npx playwright test one.spec.ts`.
  projects: [
    { name: 'setup', testMatch: 'global-setup.ts' },
    { name: 'e2e', testMatch: '*.spec.ts', dependencies: ['setup'] },
  ],
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  // One retry under CI: a test that passes only on its second try is reported "flaky" by name in the
  // summary instead of sinking the run; locally a failure stays a failure.
  retries: process.env.CI ? 1 : 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    baseURL: process.env.BASE_URL,
    locale: 'sv-SE',
    timezoneId: 'Europe/Stockholm',
    viewport: { width: 360, height: 740 },
    isMobile: true,
    hasTouch: true,
    trace: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
});
