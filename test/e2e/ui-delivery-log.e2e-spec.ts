import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { eventually } from '@test/support/eventually';
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

  // ---- the operator's portal: targets managed from the page, test events, recovery, the workspace log ----

  let created: { url: string; id: string; secret: string };
  const rowOf = (id: string) => page.locator(`#targets-body tr[data-target-id="${id}"]`);
  const groups = () => page.locator('tbody.delivery');
  const shoot = async (name: string) => {
    const path = join(SCREENSHOTS, name);
    await page.screenshot({ path, fullPage: true });
    expect(statSync(path).size).toBeGreaterThan(10_000);
  };
  /** The target ids of the listed deliveries, and the text of their event cells. */
  const listed = () =>
    groups().evaluateAll((nodes) =>
      nodes.map((n) => ({
        id: n.getAttribute('data-delivery-id'),
        event: n.querySelector('td')?.textContent ?? '',
        target: n.querySelector('.target-url')?.textContent ?? '',
      })),
    );

  it('creates a target from the page: an API refusal shown in the form, then the secret shown once', async () => {
    const okUrl = h.receiver.endpoint(() => ({ status: 200, body: 'ok', headers: { 'x-receiver': 'test' } }));
    await page.getByRole('button', { name: 'New target' }).click();
    await page.getByLabel('URL').fill('ftp://127.0.0.1/hooks');
    await page.getByRole('checkbox', { name: 'customer.customer_updated', exact: true }).check();
    await page.getByRole('button', { name: 'Create target' }).click();
    await expectText(page.locator('#target-form-error'), /^url\b.*\(VALIDATION_ERROR\)$/);
    expect(await page.getByLabel('URL').getAttribute('aria-invalid')).not.toBeNull();

    await page.getByLabel('URL').fill(okUrl);
    await page.getByLabel('Description').fill('CRM sync');
    await page.getByLabel('Webhook version').selectOption('2024-09-18');
    await page.getByRole('checkbox', { name: 'customer.customer_created', exact: true }).check();
    await page.getByRole('button', { name: 'Create target' }).click();

    await expectText(page.locator('#new-secret'), /^whsec_[A-Za-z0-9+/=]+$/);
    await expectText(page.locator('#secret-warning'), /Shown only this once/);
    expect(await page.locator('#target-panel').isVisible()).toBe(false);
    const secret = (await page.locator('#new-secret').textContent())!;
    const list = await h.dispatcherApi('GET', '/webhook-targets');
    const found = list.body.data.items.find((t: any) => t.url === okUrl);
    expect(found).toMatchObject({
      version: '2024-09-18',
      description: 'CRM sync',
      eventTypes: ['customer.customer_created', 'customer.customer_updated'],
      enabled: true,
    });
    expect(found.secret).toBeUndefined();
    created = { url: okUrl, id: found.id, secret };
    await expectVisible(rowOf(created.id));
    await expectText(rowOf(created.id).locator('.description'), 'CRM sync');

    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.locator('#new-secret').textContent()).toBe('');
  });

  it("edits the target's version, event types and description", async () => {
    await page.getByRole('button', { name: `Edit ${created.url}` }).click();
    expect(await page.getByLabel('URL').inputValue()).toBe(created.url);
    expect(
      await page.getByRole('checkbox', { name: 'customer.customer_created', exact: true }).isChecked(),
    ).toBe(true);
    await page.getByLabel('Webhook version').selectOption('2025-08-06');
    await page.getByRole('checkbox', { name: 'customer.customer_created', exact: true }).uncheck();
    await page.getByLabel('Description').fill('CRM sync (updates only)');
    await page.getByRole('button', { name: 'Save changes' }).click();

    await expectText(rowOf(created.id).locator('td').nth(1), '2025-08-06');
    await expectText(rowOf(created.id).locator('td').nth(2), 'customer.customer_updated');
    await expectText(rowOf(created.id).locator('.description'), 'CRM sync (updates only)');
    const read = await h.dispatcherApi('GET', `/webhook-targets/${created.id}`);
    expect(read.body.data).toMatchObject({
      version: '2025-08-06',
      eventTypes: ['customer.customer_updated'],
    });
  });

  it('disables and enables the target; a disabled target cannot be sent a test event', async () => {
    await page.getByRole('button', { name: `Disable ${created.url}` }).click();
    await expectText(rowOf(created.id).locator('.health'), 'Disabled');
    expect(await page.getByRole('button', { name: `Send a test event to ${created.url}` }).isDisabled()).toBe(
      true,
    );
    expect((await h.dispatcherApi('GET', `/webhook-targets/${created.id}`)).body.data.enabled).toBe(false);

    await page.getByRole('button', { name: `Enable ${created.url}` }).click();
    await expectText(rowOf(created.id).locator('.health'), 'Enabled · healthy');
    expect((await h.dispatcherApi('GET', `/webhook-targets/${created.id}`)).body.data.enabled).toBe(true);
  });

  it('sends a test event and shows its attempt: headers with signatures masked, the body and the answer', async () => {
    await page.getByRole('button', { name: `Send a test event to ${created.url}` }).click();
    await expectText(page.locator('#message'), /^Test event pEv_\w+ sent to /);
    expect(page.url()).toContain(`targetId=${created.id}`);
    const [hook] = await h.receiver.waitFor(created.url, 1);
    expect(verifyWithOracles(hook, '2025-08-06', created.secret).type).toBe('customer.customer_updated');

    const test = groups().filter({ hasText: 'customer.customer_updated' });
    await expectCount(test, 1);
    const attempt = test.locator('tr[data-attempt-number="1"]');
    await expectText(attempt.locator('td').nth(2), 'success');
    await expectText(attempt.locator('td').nth(3), '200');

    await test.getByText('Request and response of attempt #1').click();
    const sent = test.getByRole('region', { name: 'Request of attempt #1' });
    await expectVisible(sent);
    const header = (name: string) =>
      sent.locator('tr').filter({ has: page.locator('th', { hasText: new RegExp(`^${name}$`, 'i') }) });
    await expectText(header('webhook-signature').locator('td'), '[masked]');
    await expectText(header('plain-request-signature').locator('td'), '[masked]');
    await expectText(header('content-type').locator('td'), /application\/json/);
    await expectText(header('webhook-id').locator('td'), hook.headers['webhook-id'] as string);
    const body = JSON.parse((await sent.locator('pre.body').textContent())!);
    expect(body).toEqual(JSON.parse(hook.body));
    const received = test.getByRole('region', { name: 'Response to attempt #1' });
    await expectText(received.locator('.response-status'), 'HTTP 200');
    await expectText(received.locator('tr').filter({ hasText: 'x-receiver' }).locator('td'), 'test');
    await expectText(received.locator('pre.body'), 'ok');
    await shoot('portal-attempt.png');
  });

  describe('a failing target', () => {
    let failing = true;
    let downUrl: string;
    let down: { id: string };
    let since: Date;
    let failed: any[];

    beforeAll(async () => {
      downUrl = h.receiver.endpoint(() =>
        failing ? { status: 500, body: 'receiver down' } : { status: 200, body: 'back' },
      );
      down = await h.registerTarget(downUrl, ['customer.customer_created'], '2026-02-27');
      since = new Date(Math.floor(Date.now() / 1000) * 1000 - 1000);
      await h.createCustomer();
      await h.createCustomer();
      failed = await eventually(async () => {
        const list = await h.dispatcherApi('GET', `/webhook-deliveries?targetId=${down.id}&status=failed`);
        if (list.body.data.items.length !== 2) throw new Error('not failed yet');
        return list.body.data.items;
      }, 30000);
    });

    it('shows it failing, with its success rate over 24 h', async () => {
      await page.getByRole('button', { name: 'Refresh', exact: true }).first().click();
      await expectText(rowOf(down.id).locator('.health'), /^Enabled · failing since /);
      await expectText(rowOf(down.id).locator('.success-rate .rate'), '0 %');
      await expectText(rowOf(down.id).locator('.success-rate .help'), '0 of 4 attempts');
      await expectText(rowOf(created.id).locator('.success-rate .rate'), '100 %');
      await expectText(rowOf(created.id).locator('.success-rate .help'), '1 of 1 attempt');
      await page.getByRole('button', { name: `Deliveries of ${downUrl}` }).click();
      await page.getByLabel('Status').selectOption('failed');
      await expectCount(groups(), 2);
      for (const d of failed) {
        const group = page.locator(`tbody[data-delivery-id="${d.id}"]`);
        await group.getByRole('button', { name: 'Show attempts' }).click();
        await expectCount(group.locator('tr[data-attempt-number]'), 2);
      }
      await shoot('portal-targets.png');
    });

    it('recovers every failed delivery since a time: new attempts, numbered after the last, appear', async () => {
      failing = false;
      await page.getByRole('button', { name: `Recover failed deliveries to ${downUrl}` }).click();
      await expectVisible(page.getByLabel('Failed since (your local time)'));
      const local = await page.evaluate((iso) => {
        const d = new Date(iso);
        return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 19);
      }, since.toISOString());
      await page.getByLabel('Failed since (your local time)').fill(local);
      await page.getByRole('button', { name: 'Recover', exact: true }).click();

      await expectText(
        page.locator('#message'),
        `2 failed deliveries of ${downUrl} scheduled for another attempt.`,
      );
      for (const d of failed) {
        const group = page.locator(`tbody[data-delivery-id="${d.id}"]`);
        const third = group.locator('tr[data-attempt-number="3"]');
        await expectVisible(third, 30000);
        await expectText(third.locator('td').nth(0), '#3 (manual)');
        await expectText(third.locator('td').nth(2), 'success');
        await expectText(group.locator('.status'), 'succeeded');
      }
      await expectText(rowOf(down.id).locator('.success-rate .help'), '2 of 6 attempts');
      await expectText(rowOf(down.id).locator('.health'), 'Enabled · healthy');
      expect(h.receiver.requestsTo(downUrl)).toHaveLength(6);
      await shoot('portal-recover.png');
    });

    it('refuses a recovery from the future in the form, with the API message', async () => {
      await page.getByRole('button', { name: `Recover failed deliveries to ${downUrl}` }).click();
      await page.getByLabel('Failed since (your local time)').fill('2999-01-01T00:00:00');
      await page.getByRole('button', { name: 'Recover', exact: true }).click();
      await expectText(page.locator('#recover-error'), /since.*\(VALIDATION_ERROR\)$/);
      await page.locator('#recover-panel').getByRole('button', { name: 'Cancel' }).click();
      expect(await page.locator('#recover-panel').isVisible()).toBe(false);
    });

    it('refreshes an open attempts panel when a new attempt is made elsewhere', async () => {
      const d = failed[0];
      const group = page.locator(`tbody[data-delivery-id="${d.id}"]`);
      await expectCount(group.locator('tr[data-attempt-number]'), 3);
      const retried = await h.dispatcherApi('POST', `/webhook-deliveries/${d.id}/retry`);
      expect(retried.status).toBe(202);
      await expectText(group.locator('tr[data-attempt-number="4"] td').nth(0), '#4 (manual)');
      await expectText(group.locator('tr[data-attempt-number="4"] td').nth(2), 'success');
      await expectText(group.locator('.attempt-count'), '4');
    });

    it('lists deliveries across targets, filtered by status, event type, customer and event id, kept in the URL', async () => {
      await page.getByRole('button', { name: 'Clear' }).click();
      await eventually(async () => {
        const targets = new Set((await listed()).map((row) => row.target));
        expect(targets).toEqual(new Set([url, created.url, downUrl]));
      });

      await page.getByLabel('Event type', { exact: true }).selectOption('customer.customer_updated');
      await eventually(async () => {
        const rows = await listed();
        expect(rows).toHaveLength(1);
        expect(rows[0].target).toBe(created.url);
      });
      expect(page.url()).toContain('eventType=customer.customer_updated');

      const customerId = failed[1].customerId as string;
      await page.getByLabel('Event type', { exact: true }).selectOption('');
      await page.getByLabel('Customer id').fill(customerId);
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await eventually(async () => {
        const rows = await listed();
        // The original target and the failing one both subscribe to customer_created.
        expect(rows.map((r) => r.target).sort()).toEqual([url, downUrl].sort());
        for (const row of rows) expect(row.event).toContain(customerId);
      });

      await page.getByLabel('Status').selectOption('failed');
      await expectVisible(page.getByText('No deliveries match these filters.'));
      await page.getByLabel('Status').selectOption('succeeded');
      await expectCount(groups(), 2);

      await page.getByLabel('Customer id').fill('');
      await page.getByLabel('Event id').fill(failed[1].eventId);
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await eventually(async () => {
        const rows = await listed();
        expect(rows.length).toBeGreaterThan(0);
        for (const row of rows) expect(row.event).toContain(failed[1].eventId);
      });

      // The filters live in the URL: a reload shows the same list.
      expect(page.url()).toContain(`eventId=${failed[1].eventId}`);
      expect(page.url()).toContain('status=succeeded');
      await page.reload();
      expect(await page.getByLabel('Event id').inputValue()).toBe(failed[1].eventId);
      expect(await page.getByLabel('Status').inputValue()).toBe('succeeded');
      await eventually(async () => {
        const rows = await listed();
        expect(rows.length).toBeGreaterThan(0);
        for (const row of rows) expect(row.event).toContain(failed[1].eventId);
      });

      await page.getByLabel('Customer id').fill('nope');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await expectText(
        page.locator('#filter-error'),
        /^customerId\b.* must be a customer id \(c_…\) \(VALIDATION_ERROR\)$/,
      );
      expect(await page.getByLabel('Customer id').getAttribute('aria-invalid')).not.toBeNull();
      await page.getByRole('button', { name: 'Clear' }).click();
      await expectText(page.locator('#filter-error'), '');
    });
  });

  it('deletes a target only after confirmation', async () => {
    await page.getByRole('button', { name: `Delete ${created.url}` }).click();
    await expectVisible(page.getByRole('dialog', { name: 'Delete this webhook target?' }));
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    expect(await page.getByRole('dialog').isVisible()).toBe(false);
    expect((await h.dispatcherApi('GET', `/webhook-targets/${created.id}`)).status).toBe(200);

    await page.getByRole('button', { name: `Delete ${created.url}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete target' }).click();
    await expectCount(rowOf(created.id), 0);
    await expectText(page.locator('#message'), `${created.url} deleted, with its delivery log.`);
    expect((await h.dispatcherApi('GET', `/webhook-targets/${created.id}`)).status).toBe(404);
  });
});
