// Notices (issue 16 item 5): a coordinator publishes a notice on /samordnare/notiser (a refused
// form first: the errors next to their fields, the typed text kept); a reporter's start page
// shows it, and again offline after one online visit; hiding it keeps it hidden on the device.
// axe on the notices page in both languages and at 360 px.
import { test, expect, type Page } from '@playwright/test';
import { open, expectNoAxeViolations, signedInState, useLanguage } from './helpers';

/** Today's date in the region, YYYY-MM-DD. */
function today(offsetDays = 0) {
  const d = new Date(Date.now() + offsetDays * 86_400_000);
  return d.toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
}

async function untilControlled(page: Page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    }
  });
}

test('a notice published by a coordinator shows on the start page, offline too after one visit, and can be hidden', async ({
  browser,
  page,
  context,
}) => {
  const title = `Valvaka ${Date.now()}`;
  const coord = await browser.newContext({ baseURL: process.env.BASE_URL, storageState: await signedInState('coordinator') });
  const c = await coord.newPage();
  await open(c, '/samordnare/notiser');
  await expect(c.locator('main h1')).toHaveText('Notiser till rapportörer');
  await expectNoAxeViolations(c);

  // Refused first: the errors sit next to their fields and what was typed stays.
  await c.locator('#notice-title_sv').fill(title);
  await c.getByRole('button', { name: 'Publicera' }).click();
  await expect(c.locator('#notice-body_sv-error')).toHaveText('Fyll i det här fältet.');
  await expect(c.locator('#notice-title_sv')).toHaveValue(title);
  await expectNoAxeViolations(c);

  await c.locator('#notice-body_sv').fill('Gå två och två till och från lokalen.');
  await c.locator('#notice-title_en').fill(`Election night ${title}`);
  await c.locator('#notice-body_en').fill('Go in pairs to and from the venue.');
  await c.locator('#notice-audience').selectOption('all');
  await c.locator('#notice-starts_on').fill(today());
  await c.locator('#notice-ends_on').fill(today(7));
  await c.getByRole('button', { name: 'Publicera' }).click();
  await expect(c.getByTestId('notices-status')).toHaveText('Notisen är sparad.');
  await expect(c.getByTestId('notice-row').filter({ hasText: title })).toContainText('Visas nu');
  await useLanguage(c, 'en');
  await expectNoAxeViolations(c);
  await c.setViewportSize({ width: 360, height: 740 });
  await expectNoAxeViolations(c);
  await coord.close();

  // The reporter, online once.
  await open(page, '/');
  await untilControlled(page);
  const shown = page.getByTestId('start-notice').filter({ hasText: title });
  await expect(shown).toBeVisible();
  await expect(shown).toContainText('Gå två och två till och från lokalen.');
  await expectNoAxeViolations(page);

  // Offline: the notice comes from the content kept on the device.
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('start-notice').filter({ hasText: title })).toBeVisible();

  // Hidden on this device, for good.
  await page.getByRole('button', { name: `Dölj ${title}` }).click();
  await expect(page.getByTestId('start-notice').filter({ hasText: title })).toHaveCount(0);
  await context.setOffline(false);
  await page.reload();
  await expect(page.locator('main#main h1')).toHaveText('Vad behöver du nu?');
  await expect(page.getByTestId('start-notice').filter({ hasText: title })).toHaveCount(0);
});
