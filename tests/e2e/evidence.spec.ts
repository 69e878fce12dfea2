// Evidence attachments: a reporter attaches two images on the report form while offline (each
// shown as a thumbnail, with the warning about one's own name), sends, reloads, and goes online:
// one report arrives with both files (counted through the coordinator API), and the receipt
// page lists no file still on its way.
import { test, expect, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { open, expectNoAxeViolations, coordinatorApi } from './helpers';
import { RECEIPT, anonymous, fillToReview, send } from './report-steps';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

async function untilControlled(page: Page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    }
  });
}

test('files attached offline wait on the device with the report, survive a reload and arrive once with it', async ({
  page,
  context,
  playwright,
}) => {
  const word = `bevis${randomBytes(6).toString('hex')}`;
  await open(page, '/rapport');
  await untilControlled(page);
  await fillToReview(page, anonymous(`Hot i ett meddelande, se skärmbilden. ${word}`));
  await context.setOffline(true);
  await page.locator('#evidence-input').setInputFiles([
    { name: 'skarmbild-1.png', mimeType: 'image/png', buffer: PNG },
    { name: 'skarmbild-2.png', mimeType: 'image/png', buffer: PNG },
  ]);
  const files = page.getByTestId('attached-file');
  await expect(files).toHaveCount(2);
  await expect(files.first().locator('img')).toHaveAttribute('src', /^blob:/);
  await expect(page.locator('#evidence-warning')).toBeVisible();
  await expectNoAxeViolations(page);
  await send(page);
  await expect(page.getByTestId('queued')).toBeVisible();

  await page.reload();
  await context.setOffline(false);
  await expect(page.getByTestId('receipt-code')).toHaveText(RECEIPT, { timeout: 15_000 });
  await expect(page.getByTestId('waiting-files')).toHaveCount(0, { timeout: 15_000 });
  await expectNoAxeViolations(page);

  const api = await coordinatorApi(playwright);
  try {
    const res = await api.get('/api/reports', { params: { q: word } });
    const items = (await res.json()).items as { id: string }[];
    expect(items).toHaveLength(1);
    const list = await (await api.get(`/api/reports/${items[0].id}/attachments`)).json();
    expect(list.items).toHaveLength(2);
    for (const f of list.items) expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
  } finally {
    await api.dispose();
  }
});
