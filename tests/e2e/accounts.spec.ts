// Accounts: an administrator invites a coordinator from the administration hub; the invitee
// follows the one-time link, chooses a password, switches on two-step verification and reaches
// the inbox; the link does not work twice. axe on the hub, the accounts page, the invitation
// page and the own account page.
import { test, expect, type Browser } from '@playwright/test';
import { open, expectNoAxeViolations, currentStep, signedInState, submitButton, totpCode } from './helpers';

async function adminPage(browser: Browser) {
  const context = await browser.newContext({ baseURL: process.env.BASE_URL, storageState: await signedInState('admin') });
  return { context, page: await context.newPage() };
}

test('an admin invites a coordinator, who follows the link, sets a password, enrols two-step verification and reaches the inbox', async ({ browser }) => {
  test.setTimeout(90_000);
  const { context, page } = await adminPage(browser);
  await open(page, '/samordnare/inkorg');
  const bar = page.getByRole('navigation', { name: 'Samordnarmeny' });
  await bar.getByRole('link', { name: 'Administration' }).click();
  await expect(page).toHaveURL(/\/samordnare\/admin$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Administration');
  for (const name of ['Konton', 'Telefonlista', 'Checklistor', 'Gallring', 'Jourlista', 'Jobb']) {
    await expect(page.getByRole('main').getByRole('link', { name })).toBeVisible();
  }
  await expectNoAxeViolations(page);
  await page.getByRole('main').getByRole('link', { name: 'Konton' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Konton');
  await expect(page.getByRole('region', { name: 'Alla konton' })).toBeVisible();
  await expectNoAxeViolations(page);

  // The invitation's language: Swedish unless the administrator chooses English.
  await expect(page.getByRole('group', { name: 'Språk i inbjudan' }).getByRole('radio', { name: 'Svenska' })).toBeChecked();
  // Errors show on their fields, and nothing typed is lost.
  const email = `ny.${Date.now()}@e2e.test`;
  await page.getByLabel('E-postadress').fill('inte en adress');
  await submitButton(page).click();
  await expect(page.locator('#invite-email-error')).toHaveText('Skriv en e-postadress som namn@exempel.se.');
  await expect(page.locator('#invite-name-error')).toHaveText('Skriv namnet.');
  await expect(page.getByLabel('E-postadress')).toBeFocused();
  await page.getByLabel('E-postadress').fill(process.env.E2E_EMAIL!);
  await page.getByLabel('Namn', { exact: true }).fill('Nina Ny');
  await submitButton(page).click();
  await expect(page.locator('#invite-email-error')).toHaveText('Det finns redan ett konto med den här e-postadressen.');
  await expect(page.getByLabel('Namn', { exact: true })).toHaveValue('Nina Ny');

  await page.getByLabel('E-postadress').fill(email);
  await submitButton(page).click();
  const linkBox = page.locator('#invitation-link');
  await expect(linkBox).toHaveValue(/\/samordnare\/inbjudan#.+/);
  const link = await linkBox.inputValue();
  await expect(page.locator(`tr[data-account="${email}"]`)).toContainText('Inbjuden');
  await expectNoAxeViolations(page);

  // The invitee, in a browser of their own.
  const invitee = await browser.newContext({ baseURL: process.env.BASE_URL });
  const p = await invitee.newPage();
  await p.goto(link);
  await expect(p.getByRole('heading', { level: 1 })).toHaveText('Välkommen till Trygg');
  await expect(p.getByRole('main')).toContainText(email);
  await expectNoAxeViolations(p);
  await p.locator('#invite-password').fill('kort');
  await submitButton(p).click();
  await expect(p.locator('#invite-password-error')).toHaveText('Lösenordet måste ha minst 12 tecken.');
  const password = 'ett eget långt lösenord';
  await p.locator('#invite-password').fill(password);
  await p.locator('#invite-password-again').fill(password);
  await submitButton(p).click();

  // Two-step enrolment, as at a first sign-in.
  await expect(p.getByRole('heading', { level: 1 })).toHaveText('Slå på tvåstegsverifiering');
  const secret = ((await p.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '');
  await p.locator('#enrol-code').fill(totpCode(secret, currentStep()));
  await submitButton(p).click();
  await expect(p.getByRole('heading', { level: 1 })).toHaveText('Spara dina återställningskoder');
  await p.getByRole('button', { name: 'Jag har sparat dem – fortsätt' }).click();
  await expect(p).toHaveURL(/\/samordnare\/inkorg$/);

  // Mitt konto, reachable by everyone.
  await p.getByRole('navigation', { name: 'Samordnarmeny' }).getByRole('link', { name: 'Mitt konto' }).click();
  await expect(p.getByRole('heading', { level: 1 })).toHaveText('Mitt konto');
  await expectNoAxeViolations(p);

  // The link works once.
  const other = await browser.newContext({ baseURL: process.env.BASE_URL });
  const again = await other.newPage();
  await again.goto(link);
  await expect(again.getByRole('alert')).toHaveText('Inbjudan är redan använd. Logga in i stället.');

  // The administrator's list shows the account active with two-step verification on.
  await page.reload();
  const row = page.locator(`tr[data-account="${email}"]`);
  await expect(row).toContainText('Aktivt');
  await expect(row).toContainText('På');
  await Promise.all([context.close(), invitee.close(), other.close()]);
});
