// The offline app shell (public/sw.js): once the reporter's app has been opened, it opens again
// with no network, with its checklists and phone list; nothing sensitive is ever cached.
import { test, expect, type Page } from '@playwright/test';
import { open, expectNoAxeViolations } from './helpers';

/** Waits until the service worker is active and controls this page. */
async function untilControlled(page: Page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    }
  });
}

/** Every URL path (with query) kept in any of this origin's caches, by cache name. */
async function cachedPaths(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(async () => {
    const out: Record<string, string[]> = {};
    for (const name of await caches.keys()) {
      const keys = await (await caches.open(name)).keys();
      out[name] = keys.map((r) => {
        const u = new URL(r.url);
        return u.pathname + u.search;
      });
    }
    return out;
  });
}

const isOffline = (page: Page) =>
  page.evaluate(() => fetch('/healthz', { cache: 'no-store' }).then(() => false, () => true));

test('with no network the app opens again at /, /kontakter and a situation page, with its phone list and checklist', async ({
  page,
  context,
}) => {
  await open(page, '/');
  await untilControlled(page);
  // Online once: the worker keeps the answers of the pages visited.
  await open(page, '/kontakter');
  await expect(page.locator('main a[href="tel:11414"]')).toBeVisible();
  await open(page, '/lage/healthcare/during');
  await expect(page.locator('.checklist label').first()).toHaveText('Dra dig undan till säkerhet.');
  // The app keeps its own copies too; without them the lists below can only come from the worker.
  await page.evaluate(() => localStorage.clear());

  await context.setOffline(true);
  expect(await isOffline(page)).toBe(true);
  // The worker's own requests are offline too, so what follows is its cache answering.
  const [worker] = context.serviceWorkers();
  expect(worker, 'a service worker runs').toBeTruthy();
  expect(await worker.evaluate(() => fetch('/healthz', { cache: 'no-store' }).then(() => false, () => true))).toBe(true);

  await page.reload();
  await expect(page.locator('main#main h1')).toHaveText('Under – Vård/ambulans');
  await expect(page.locator('.checklist label').first()).toHaveText('Dra dig undan till säkerhet.');

  await open(page, '/');
  await expect(page.locator('main#main h1')).toHaveText('Vad behöver du nu?');
  await expect(page.locator('label[for="start-role-healthcare"]')).toBeVisible();
  await expectNoAxeViolations(page);

  await open(page, '/kontakter');
  await expect(page.locator('main a[href="tel:112"]').first()).toBeVisible();
  await expect(page.locator('main a[href="tel:11414"]')).toBeVisible();
  await expectNoAxeViolations(page);

  await open(page, '/lage/healthcare/during');
  await expect(page.locator('a.call-112-big')).toHaveAttribute('href', 'tel:112');
  await expect(page.locator('.checklist label').first()).toHaveText('Dra dig undan till säkerhet.');
  await expect(page.locator('main a[href="tel:11414"]')).toBeVisible();
  await expectNoAxeViolations(page);

  // Client-side navigation offline works as well: the start page's choice leads to its checklist.
  await open(page, '/');
  await page.locator('label[for="start-role-elected_official"]').click();
  await page.locator('label[for="start-phase-during"]').click();
  await page.getByRole('button', { name: 'Visa vad jag ska göra' }).click();
  await expect(page).toHaveURL(/\/lage\/elected_official\/during$/);
  await expect(page.locator('a.call-112-big')).toHaveAttribute('href', 'tel:112');
  // This situation was never opened online, yet its checklist is here: every checklist came in
  // the one answer the first visit fetched (src/content.rs).
  await expect(page.locator('.checklist label').first()).toContainText('112');

  // The coordinator app is never served from the reporter's cache.
  await expect(page.goto('/samordnare/logga-in')).rejects.toThrow(/ERR_INTERNET_DISCONNECTED|ERR_FAILED/);
});

test('without the service worker the same offline reload fails (the test above measures the worker)', async ({
  browser,
}) => {
  const context = await browser.newContext({ baseURL: process.env.BASE_URL, serviceWorkers: 'block' });
  const page = await context.newPage();
  await open(page, '/');
  await open(page, '/kontakter');
  await expect(page.locator('main a[href="tel:11414"]')).toBeVisible();
  await context.setOffline(true);
  await expect(page.reload()).rejects.toThrow(/ERR_INTERNET_DISCONNECTED/);
  await context.close();
});

test('the worker caches the shell by its hashes and the public lists, and no other API answer', async ({ page }) => {
  await open(page, '/');
  await untilControlled(page);
  await open(page, '/lage/elected_official/after');
  await expect(page.locator('.checklist label').first()).toBeVisible();
  await open(page, '/kontakter');
  await expect(page.locator('main a[href="tel:11414"]')).toBeVisible();
  // GET answers that a cache-everything worker would keep: a public one and sensitive ones.
  expect(await page.evaluate(() => fetch('/api/openapi.json').then((r) => r.status))).toBe(200);
  await page.evaluate(() => fetch('/api/reports').then((r) => r.status));
  await page.evaluate(() => fetch('/api/auth/me').then((r) => r.status));
  await page.goto('/samordnare/logga-in');
  await expect(page.locator('main#main')).toBeVisible();
  await page.goto('/');
  await expect(page.locator('main#main h1')).toBeVisible();

  // Two shells, one per reporter bundle: the start bundle's at '/', the report bundle's (files
  // under /r/) at '/r/'; each named after its hashes and holding only the files its page names.
  const caches = await cachedPaths(page);
  const shells = Object.keys(caches).filter((n) => n.startsWith('trygg-shell-'));
  expect(shells).toHaveLength(2);
  for (const [kind, page_, key] of [
    ['start', '/', '/'],
    ['report', '/rapport', '/r/'],
  ]) {
    const html = await (await page.request.get(page_)).text();
    // Quoted (the loader script) or unquoted after `=` (trunk's minified attributes), as public/sw.js reads them.
    const files = [...html.matchAll(/(?:["']|=)(\/[^"'\s>=]*-([0-9a-f]{8,16})(?:_bg)?\.(?:js|wasm|css))(?=["'\s>])/g)];
    expect(files.length).toBeGreaterThanOrEqual(2);
    expect(files.every((m) => m[1].startsWith('/r/') === (kind === 'report'))).toBe(true);
    const name = shells.find((n) => n.startsWith(`trygg-shell-${kind}-`));
    expect(name, kind).toBeTruthy();
    for (const m of files) expect(name).toContain(m[2]);
    const shell = caches[name!];
    expect(shell).toContain(key);
    expect(shell.some((p) => p.endsWith('.wasm'))).toBe(true);
    expect(shell.every((p) => p === key || html.includes(p))).toBe(true);
  }

  const all = Object.values(caches).flat();
  const api = all.filter((p) => p.startsWith('/api/')).sort();
  // Every checklist and the phone list come in one answer (src/content.rs).
  expect(api).toEqual(['/api/content']);
  expect(all.filter((p) => p.startsWith('/samordnare'))).toEqual([]);
});

test('offline, the report pages open from the report bundle\'s shell, and a link back to the start page loads the start bundle', async ({
  page,
  context,
}) => {
  await open(page, '/');
  await untilControlled(page);
  await context.setOffline(true);
  expect(await isOffline(page)).toBe(true);
  // A page of the report bundle, never opened online: its shell was kept at install.
  await open(page, '/rapport');
  await expect(page.locator('main#main h1')).toHaveText('Rapportera en händelse');
  const scripts = await page.evaluate(() => [...document.querySelectorAll('script, link[rel="modulepreload"]')].map((s) => s.outerHTML).join(' '));
  expect(scripts).toContain('/r/');
  await page.reload();
  await expect(page.locator('main#main h1')).toHaveText('Rapportera en händelse');
  await open(page, '/kvitto');
  await expect(page.locator('main#main h1')).toBeVisible();
  await expect(page.locator('main#main h1')).not.toHaveText('Sidan finns inte');
  // Back to the start bundle, offline too: the header's link is a page load of the other shell.
  await page.locator('header').getByRole('link', { name: 'Start', exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator('main#main h1')).toHaveText('Vad behöver du nu?');
});
