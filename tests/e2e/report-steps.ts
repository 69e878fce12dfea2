// Steps through the guided report form (/rapport, six steps: the incident, what happened,
// consequences, about you, contact and support, review) the way a person would.
import { expect, type Page } from '@playwright/test';

export const RECEIPT = /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/;

export interface Answers {
  kind: string;
  channel: string;
  description: string;
  role: string;
  identity: string;
  location?: string;
}

const NEXT = /^(Nästa|Next)$/;
const SEND = /^(Skicka rapport|Send report)$/;

/** The step heading says "Steg n av 6" (or "Step n of 6"). */
export async function expectStep(page: Page, n: number) {
  await expect(page.locator('#step-heading')).toContainText(new RegExp(`(Steg ${n} av 6|Step ${n} of 6)`));
}

/** Presses "Nästa" and checks that the next step is shown with its heading focused. */
export async function next(page: Page, to: number) {
  await page.getByRole('button', { name: NEXT }).click();
  await expectStep(page, to);
  await expect(page.locator('#step-heading')).toBeFocused();
}

/** Fills in every step from the first and stops on the review. */
export async function fillToReview(page: Page, a: Answers) {
  await expectStep(page, 1);
  await page.locator(`label[for="kind-${a.kind}"]`).click();
  await page.locator(`label[for="channel-${a.channel}"]`).click();
  if (a.location) await page.locator('#location').fill(a.location);
  await next(page, 2);
  await page.locator('#description').fill(a.description);
  await next(page, 3);
  await next(page, 4);
  await page.locator(`label[for="role-${a.role}"]`).click();
  await next(page, 5);
  await page.locator(`label[for="identity-${a.identity}"]`).click();
  await next(page, 6);
}

/** Presses the review's send button. */
export async function send(page: Page) {
  await page.getByRole('button', { name: SEND }).click();
}

/** An anonymous threat by phone with `description`. */
export function anonymous(description: string): Answers {
  return { kind: 'threat', channel: 'phone', description, role: 'healthcare', identity: 'anonymous' };
}
