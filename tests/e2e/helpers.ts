// Shared steps: wait for the wasm app, run axe, submit a report through the API.
import { expect, type Page, type APIRequestContext } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { randomUUID } from 'node:crypto';

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
