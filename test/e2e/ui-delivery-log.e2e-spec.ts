import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { verifyWithOracles } from '@test/support/webhook-receiver';
import { expectCount, expectText, expectVisible, launchChromium, SCREENSHOTS, VIEWPORT } from './ui-support';
import { type RegisteredTarget, WebhooksHarness } from './webhooks-fixtures';

describe('webhook delivery log at /ui on the dispatcher, in headless Chromium (WEBHOOK_RETRY_SCHEDULE=1s)', () => {
  let h: WebhooksHarness;
  let browser: Browser;
  let page: Page;
  let healthy = false;
  let url: string;
  let target: RegisteredTarget;
  let failedDelivery: any;

  beforeAll(async () => {
    browser = await launchChromium();
    h = await WebhooksHarness.start({ WEBHOOK_RETRY_SCHEDULE: '1s' });
    url = h.receiver.endpoint((_, index) =>
      healthy ? { status: 200, body: 'ok' } : { status: 500, body: `boom ${index + 1}` },
    );
    target = await h.registerTarget(url, ['customer.customer_created'], '2025-08-06');
    await h.createCustomer();
    // Two scheduled attempts, both failed: the delivery gives up.
    failedDelivery = await h.deliveryOf(target.id, (d) => expect(d.status).toBe('failed'));
    page = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
    page.setDefaultTimeout(10000);
  });

  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  const targetRow = () => page.locator(`#targets-body tr[data-target-id="${target.id}"]`);
  const delivery = () => page.locator(`tbody[data-delivery-id="${failedDelivery.id}"]`);
  const attemptRow = (n: number) => delivery().locator(`tr[data-attempt-number="${n}"]`);

  it('lists the target with its version and health once the API key is entered', async () => {
    await page.goto(`${h.dispatcher.url}/ui`);
    await page.getByLabel('API key').fill(h.apiKey);
    await page.getByRole('button', { name: 'Use key' }).click();

    await expectVisible(targetRow());
    await expectText(targetRow().locator('.url'), url);
    await expectText(targetRow().locator('td').nth(1), '2025-08-06');
    await expectText(targetRow().locator('td').nth(2), 'customer.customer_created');
    await expectText(targetRow().locator('.health'), /^Enabled · failing since /);
    await expectText(targetRow().locator('td').nth(4), 'never');
  });

  it("shows the target's failed delivery under its status, with every attempt", async () => {
    await page.getByRole('button', { name: `Deliveries of ${url}` }).click();
    await page.getByLabel('Status').selectOption('succeeded');
    await expectVisible(page.getByText('No deliveries with this status.'));
    await page.getByLabel('Status').selectOption('failed');
    await expectVisible(delivery());
    await expectText(delivery().locator('.status'), 'failed');
    await expectText(delivery().locator('td').nth(2), '2');

    await delivery().getByRole('button', { name: 'Show attempts' }).click();
    await expectCount(delivery().locator('tr[data-attempt-number]'), 2);
    for (const n of [1, 2]) {
      const cells = attemptRow(n).locator('td');
      await expectText(cells.nth(0), `#${n}`);
      await expectText(cells.nth(1), /\d{4}/);
      await expectText(cells.nth(2), 'HTTP error');
      await expectText(cells.nth(3), '500');
      await expectText(cells.nth(4), /^\d+ ms$/);
      await expectText(cells.nth(5).locator('.excerpt'), `boom ${n}`);
    }
  });

  it('retries now: a new, manual attempt appears with its outcome', async () => {
    healthy = true;
    await delivery()
      .getByRole('button', { name: /^Retry now/ })
      .click();

    await expectVisible(attemptRow(3), 30000);
    await expectText(attemptRow(3).locator('td').nth(0), '#3 (manual)');
    await expectText(attemptRow(3).locator('td').nth(2), 'success');
    await expectText(attemptRow(3).locator('td').nth(3), '200');
    await expectText(page.locator('#message'), `Attempt #3 of ${failedDelivery.eventId}: success.`);
    expect(h.receiver.requestsTo(url)).toHaveLength(3);
    await expectText(delivery().locator('.status'), 'succeeded');

    const path = join(SCREENSHOTS, 'delivery-log.png');
    await page.screenshot({ path, fullPage: true });
    expect(statSync(path).size).toBeGreaterThan(10_000);
  });

  it('rotates the secret and shows the new one once; the next webhook is signed with it', async () => {
    await page.getByRole('button', { name: `Rotate secret of ${url}` }).click();
    await page.getByRole('button', { name: 'Rotate secret now' }).click();
    await expectText(page.locator('#new-secret'), /^whsec_[A-Za-z0-9+/=]+$/);
    const secret = (await page.locator('#new-secret').textContent())!;
    expect(secret).not.toBe(target.secret);
    await expectText(targetRow().locator('td').nth(3), /previous secret valid until/);

    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.locator('#new-secret').textContent()).toBe('');
    expect(await page.locator('#secret-panel').isVisible()).toBe(false);

    await h.createCustomer();
    const [, , , next] = await h.receiver.waitFor(url, 4);
    expect(verifyWithOracles(next, '2025-08-06', secret).type).toBe('customer.customer_created');
  });
});
