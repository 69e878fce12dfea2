// Reflow (WCAG 2.1 1.4.10 and 1.4.4): every page of both apps, in Swedish and in English, at a
// 320 CSS px viewport and again there with the root font size doubled (200 % text), scrolls no
// sideways: document.documentElement.scrollWidth <= clientWidth. On a failure the message names
// the elements that stick out.
//
// ADDING A PAGE: put its address in REPORTER_PAGES or COORDINATOR_PAGES below (a coordinator
// page is opened signed in as the e2e account that is administrator and coordinator). Pages that
// are reached by doing something (the report's steps, the receipt) are in the journey test.
import { test, expect, type Browser, type Page } from '@playwright/test';
import { open, signedInState, submitViaApi } from './helpers';
import { anonymous, expectStep, next, send } from './report-steps';

type Lang = 'sv' | 'en';
const LANGS: Lang[] = ['sv', 'en'];

/** Reporter pages reached by their address. */
export const REPORTER_PAGES: string[] = [
  '/',
  ...['healthcare', 'elected_official'].flatMap((role) =>
    ['before', 'during', 'after'].map((phase) => `/lage/${role}/${phase}`),
  ),
  '/kontakter',
  '/nu',
  '/incheckning',
  '/folj-upp',
  '/sidan-finns-inte',
];

/** Coordinator pages, signed in; `{case}` is replaced by a report's id. */
export const COORDINATOR_PAGES: string[] = [
  '/samordnare/inkorg',
  '/samordnare/inkorg/{case}',
  '/samordnare/logg',
  '/samordnare/vantar',
  '/samordnare/admin',
  '/samordnare/admin/konton',
  '/samordnare/admin/jour',
  '/samordnare/admin/telefonlista',
  '/samordnare/admin/checklistor',
  '/samordnare/admin/gallring',
  '/samordnare/admin/jobb',
  '/samordnare/konto',
  '/samordnare/inbjudan',
  '/samordnare/notiser',
  '/samordnare/uppslag',
  '/samordnare/admin/uppslagsnycklar',
  '/samordnare/uppslagslogg',
  '/samordnare/statistik',
  '/samordnare/uppgifter',
  '/samordnare/inkorg/{case}/polisanmalan',
  '/samordnare/incheckningar',
];

/** Coordinator pages seen signed out. */
export const SIGNED_OUT_PAGES: string[] = ['/samordnare/logga-in'];

/** The elements wider than the window, for the failure message. */
async function overflow(page: Page) {
  return page.evaluate(() => {
    const doc = document.documentElement;
    const out: string[] = [];
    if (doc.scrollWidth > doc.clientWidth) {
      for (const el of Array.from(document.body.querySelectorAll('*'))) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > doc.clientWidth + 0.5) {
          const id = el.id ? `#${el.id}` : '';
          const cls = typeof el.className === 'string' && el.className ? `.${el.className.split(/\s+/).join('.')}` : '';
          out.push(`${el.tagName.toLowerCase()}${id}${cls} right=${Math.round(r.right)} "${(el.textContent ?? '').trim().slice(0, 40)}"`);
        }
      }
    }
    return { scroll: doc.scrollWidth, client: doc.clientWidth, out: out.slice(0, 8) };
  });
}

/** No sideways scroll at normal text, then with the root font size doubled, then back. */
async function expectReflow(page: Page, where: string) {
  await page.waitForLoadState('networkidle');
  await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
  for (const size of ['', '200%']) {
    await page.evaluate((s) => {
      document.documentElement.style.fontSize = s;
    }, size);
    // Let layout settle (a frame) before measuring.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const o = await overflow(page);
    expect(o.scroll, `${where} at ${size || '100%'} text sticks out:\n${o.out.join('\n')}`).toBeLessThanOrEqual(o.client);
  }
  await page.evaluate(() => {
    document.documentElement.style.fontSize = '';
  });
}

async function contextFor(browser: Browser, lang: Lang, signedIn: boolean) {
  const context = await browser.newContext({
    baseURL: process.env.BASE_URL,
    viewport: { width: 320, height: 640 },
    isMobile: true,
    hasTouch: true,
    locale: lang === 'sv' ? 'sv-SE' : 'en-GB',
    storageState: signedIn ? await signedInState('admin') : undefined,
  });
  // The app reads the language chosen on the device (src/prefs.rs) before it renders.
  await context.addInitScript((code) => localStorage.setItem('trygg.lang.v1', code), lang);
  return context;
}

for (const lang of LANGS) {
  test(`every reporter page reflows at 320 px and at 200 % text (${lang})`, async ({ browser }) => {
    test.setTimeout(120_000);
    const context = await contextFor(browser, lang, false);
    const page = await context.newPage();
    for (const path of REPORTER_PAGES) {
      await open(page, path);
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await expectReflow(page, `${path} (${lang})`);
    }
    await context.close();
  });

  test(`the report's six steps and the receipt reflow at 320 px and at 200 % text (${lang})`, async ({ browser }) => {
    test.setTimeout(120_000);
    const context = await contextFor(browser, lang, false);
    const page = await context.newPage();
    const a = anonymous(`Reflow ${lang}: ett långt ord som Arbetsmiljöverksamhetsutvecklingsansvarig`);
    await open(page, '/rapport');
    await expectStep(page, 1);
    await expectReflow(page, `/rapport step 1 (${lang})`);
    // With its error summary and the messages at the fields, too.
    await page.getByRole('button', { name: /^(Nästa|Next)$/ }).click();
    await expect(page.locator('.error-summary')).toBeVisible();
    await expectReflow(page, `/rapport step 1 with errors (${lang})`);
    await page.locator(`label[for="kind-${a.kind}"]`).click();
    await page.locator(`label[for="channel-${a.channel}"]`).click();
    await next(page, 2);
    await expectReflow(page, `/rapport step 2 (${lang})`);
    await page.locator('#description').fill(a.description);
    await next(page, 3);
    await expectReflow(page, `/rapport step 3 (${lang})`);
    await next(page, 4);
    await expectReflow(page, `/rapport step 4 (${lang})`);
    await page.locator(`label[for="role-${a.role}"]`).click();
    await next(page, 5);
    await expectReflow(page, `/rapport step 5 (${lang})`);
    await page.locator(`label[for="identity-${a.identity}"]`).click();
    await next(page, 6);
    await expectReflow(page, `/rapport step 6 (${lang})`);
    await send(page);
    await expect(page).toHaveURL(/\/kvitto$/);
    await expectReflow(page, `/kvitto (${lang})`);
    await context.close();
  });

  test(`every coordinator page reflows at 320 px and at 200 % text (${lang})`, async ({ browser, request }) => {
    test.setTimeout(120_000);
    const { id } = await submitViaApi(request, `Reflow ${lang}: Samordnarverksamhetens säkerhetsorganisationsfrågor`);
    const signedOut = await contextFor(browser, lang, false);
    const out = await signedOut.newPage();
    for (const path of SIGNED_OUT_PAGES) {
      await open(out, path);
      await expectReflow(out, `${path} (${lang})`);
    }
    await signedOut.close();
    const context = await contextFor(browser, lang, true);
    const page = await context.newPage();
    for (const template of COORDINATOR_PAGES) {
      const path = template.replace('{case}', id);
      await open(page, path);
      await expect(page).toHaveURL(new RegExp(`${path.replace(/[/]/g, '\\/')}$`));
      await expectReflow(page, `${path} (${lang})`);
    }
    await context.close();
  });
}
