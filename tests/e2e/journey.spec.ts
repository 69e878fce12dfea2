// The reporter's journey: who am I × where am I in time → what to do (checklist) and whom to call.
import { test, expect, type Page } from '@playwright/test';
import { open, expectNoAxeViolations } from './helpers';
import { fillToReview, send } from './report-steps';

async function choose(page: Page, role: string, phase: string) {
  await open(page, '/');
  await page.locator(`label[for="start-role-${role}"]`).click();
  await page.locator(`label[for="start-phase-${phase}"]`).click();
  await page.getByRole('button', { name: 'Visa vad jag ska göra' }).click();
  await expect(page).toHaveURL(new RegExp(`/lage/${role}/${phase}$`));
}

test('healthcare during: 112 first, then the checklist; ticks and the choice survive a reload', async ({ page }) => {
  await choose(page, 'healthcare', 'during');
  // The large call link comes before the steps.
  const first = page.locator('main a.call-112-big, main .checklist').first();
  await expect(first).toHaveAttribute('href', 'tel:112');
  await expect(first).toContainText('Ring 112');
  const steps = page.locator('.checklist label');
  await expect(steps.first()).toHaveText('Dra dig undan till säkerhet.');

  await steps.first().click();
  await expect(page.locator('.checklist input').first()).toBeChecked();
  await page.reload();
  await expect(page.locator('.checklist label').first()).toHaveText('Dra dig undan till säkerhet.');
  await expect(page.locator('.checklist input').first()).toBeChecked();
  await expect(page.locator('.checklist input').nth(1)).not.toBeChecked();

  // The short phone list has tap-to-call numbers.
  await expect(page.locator('main a[href="tel:11414"]')).toBeVisible();

  // The start page remembers the choice, and a new report starts with the role.
  await open(page, '/');
  await expect(page.locator('#start-role-healthcare')).toBeChecked();
  await expect(page.locator('#start-phase-during')).toBeChecked();
  await open(page, '/rapport?steg=4');
  await expect(page.locator('#role-healthcare')).toBeChecked();
});

test('elected official during shows its own checklist; ticks are kept per situation', async ({ page }) => {
  await choose(page, 'elected_official', 'during');
  await expect(page.locator('.checklist label').first()).toHaveText('Ring 112 vid omedelbar fara.');
  await page.locator('.checklist label').first().click();
  await choose(page, 'elected_official', 'after');
  await expect(page.locator('a.call-112-big')).toHaveCount(0);
  await expect(page.locator('.checklist input').first()).not.toBeChecked();
});

test('showing without a full choice says what is missing', async ({ page }) => {
  await open(page, '/');
  await page.locator('label[for="start-role-elected_official"]').click();
  await page.getByRole('button', { name: 'Visa vad jag ska göra' }).click();
  const problem = page.getByRole('alert');
  await expect(problem).toHaveText('Välj både vem du är och var du är i tiden.');
  await expect(problem).toBeFocused();
  await expectNoAxeViolations(page);
});

test('the contacts page lists every number as a tel: link', async ({ page }) => {
  await open(page, '/kontakter');
  await expect(page.locator('a[href="tel:112"]').first()).toBeVisible();
  await expect(page.locator('a[href="tel:11414"]')).toBeVisible();
  await expect(page.locator('a[href="tel:116006"]')).toBeVisible();
  // A contact without a number shows its note instead.
  await expect(page.getByText('Numret läggs in av administratören.').first()).toBeVisible();
});

for (const lang of ['sv', 'en']) {
  test(`start, situation and contacts pages have no accessibility violations (${lang})`, async ({ page }) => {
    if (lang === 'en') {
      await open(page, '/');
      await page.getByRole('button', { name: 'English' }).click();
      await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    }
    await open(page, '/');
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    await expectNoAxeViolations(page);

    await open(page, '/lage/elected_official/during');
    await expect(page.locator('.checklist label').first()).toHaveText(
      lang === 'en' ? 'Call 112 if you are in immediate danger.' : 'Ring 112 vid omedelbar fara.',
    );
    await expectNoAxeViolations(page);

    await open(page, '/kontakter');
    await expect(page.locator('a[href="tel:116006"]')).toBeVisible();
    await expectNoAxeViolations(page);
  });
}

test('the receipt can be saved as a text file, and my reports on the start page list its code', async ({ page }) => {
  await open(page, '/rapport');
  await fillToReview(page, {
    kind: 'threat',
    channel: 'email_letter',
    description: 'Hotfullt mejl efter debatten.',
    role: 'elected_official',
    identity: 'anonymous',
  });
  await send(page);
  const code = (await page.getByTestId('receipt-code').textContent())?.trim() ?? '';
  expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Spara som textfil' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`trygg-kvitto-${code}.txt`);
  const path = await download.path();
  const { readFileSync } = await import('node:fs');
  const text = readFileSync(path, 'utf8');
  expect(text).toContain(code);
  expect(text).toContain('enda sättet');
  await expect(page.getByRole('status')).toHaveText('Kvittot laddas ner som en textfil.');

  await open(page, '/');
  const mine = page.getByRole('region', { name: 'Mina rapporter' });
  await expect(mine.getByTestId('my-report-code').first()).toHaveText(code);
  await expect(mine).toContainText('enda sättet att hitta tillbaka till en anonym rapport');
  await expectNoAxeViolations(page);
});

// The app's own copy on the device (without the service worker, whose cache offline.spec.ts tests):
// page.route cannot see a service worker's requests, so the worker is blocked here.
test.describe('without the service worker', () => {
  test.use({ serviceWorkers: 'block' });
  test('the checklist and the phone list are still shown when the network fails', async ({ page }) => {
    await open(page, '/kontakter');
    await expect(page.locator('a[href="tel:116006"]')).toBeVisible();
    await open(page, '/lage/healthcare/after');
    await expect(page.locator('.checklist label').first()).toHaveText('Berätta för tjänstemannen i beredskap (TiB).');

    await page.route('**/api/**', (route) => route.abort('internetdisconnected'));
    await open(page, '/kontakter');
    await expect(page.locator('a[href="tel:116006"]')).toBeVisible();
    await expect(page.locator('a[href="tel:11414"]')).toBeVisible();
    await open(page, '/lage/healthcare/after');
    await expect(page.locator('.checklist label').first()).toHaveText('Berätta för tjänstemannen i beredskap (TiB).');
    // A situation never opened before works too: every checklist came with the first visit.
    await open(page, '/lage/healthcare/before');
    await expect(page.locator('.checklist label').first()).toHaveText('Kontrollera larminformationen efter riskflaggor.');
  });
});
