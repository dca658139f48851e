import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { request } from '@test/support/api-client';
import { AppProcess } from '@test/support/app-process';
import { createApiKey, uniqueExternalId } from '@test/support/fixtures';
import {
  expectCount,
  expectText,
  expectVisible,
  launchChromium,
  postEvents,
  SCREENSHOTS,
  timelineHolds,
  VIEWPORT,
} from './ui-support';

const PAGE_VIEWS = 30;

describe('agent timeline viewer at /ui on the projector, in headless Chromium', () => {
  let gateway: AppProcess;
  let projector: AppProcess;
  let browser: Browser;
  let page: Page;
  let apiKey: string;
  const externalId = uniqueExternalId('viewer');
  let total = 0;

  beforeAll(async () => {
    browser = await launchChromium();
    [gateway, projector] = await Promise.all([AppProcess.start('gateway'), AppProcess.start('projector')]);
    ({ apiKey } = await createApiKey());
    const customers = `/api/v1/customers/${externalId}`;
    await request(gateway.url, 'PUT', customers, {
      apiKey,
      body: { email: `${externalId}@example.com`, fullName: 'Peter Santos' },
    });
    // Antidated page views fill more than one page; an order sits above them.
    await postEvents(gateway.url, apiKey, [
      ...Array.from({ length: PAGE_VIEWS }, (_, i) => ({
        customerExternalId: externalId,
        type: 'page.viewed',
        payload: { path: `/docs/${i}` },
        occurredAt: new Date(Date.UTC(2026, 0, 1, 9, i)).toISOString(),
      })),
      {
        customerExternalId: externalId,
        type: 'order.placed',
        payload: { orderId: 'ord_9001', total: 149.9, currency: 'USD' },
        occurredAt: new Date(Date.now() - 60_000).toISOString(),
      },
    ]);
    await request(gateway.url, 'PATCH', customers, { apiKey, body: { fullName: 'Pete Santos' } });
    await request(gateway.url, 'POST', `${customers}/mark-as-spam`, { apiKey });
    total = PAGE_VIEWS + 4; // + the order, the creation, the rename and the spam marking
    await timelineHolds(projector.url, apiKey, externalId, total);

    page = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
    page.setDefaultTimeout(10000);
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([gateway?.stop(), projector?.stop()]);
  });

  const items = () => page.locator('#timeline > li');

  it('keeps the API key for the tab, finds the customer by externalId, and shows the profile', async () => {
    await page.goto(`${projector.url}/ui`);
    expect(page.url()).toBe(`${projector.url}/ui/`);
    await page.getByLabel('API key').fill(apiKey);
    await page.getByLabel('API key').press('Enter');
    await page.reload();
    await expectVisible(page.getByText('API key kept for this tab'));
    expect(await page.evaluate("sessionStorage.getItem('supportdesk.apiKey')")).toBe(apiKey);

    await page.getByLabel('Find a customer').fill(externalId);
    await page.getByLabel('Find a customer').press('Enter');

    await expectText(page.locator('#profile-name'), 'Pete Santos');
    await expectText(page.locator('#profile-email'), `${externalId}@example.com · not verified`);
    await expectText(page.locator('#profile-spam'), /^Marked as spam .* by machineUser mu_…[0-9A-Z]{6}$/);
    await expectText(page.locator('#profile-external-id'), externalId);
  });

  it('shows the newest items first, customer changes as sentences, times relative and absolute', async () => {
    await expectCount(items(), 25);
    const first = items().nth(0);
    await expectText(first.locator('.type'), 'customer.customer_updated');
    await expectText(first.locator('.sentence'), /^marked as spam by machineUser mu_…[0-9A-Z]{6}$/);
    expect(await first.locator('.sentence').getAttribute('title')).toMatch(
      /^by machineUser mu_[0-9A-Z]{26}$/,
    );
    await expectText(
      items().nth(1).locator('.sentence'),
      /^changed fullName from Peter Santos to Pete Santos by machineUser mu_/,
    );
    await expectText(items().nth(2).locator('.type'), 'customer.customer_created');
    const order = items().nth(3);
    await expectText(order.locator('.type'), 'order.placed');
    await expectText(order.locator('time.relative'), /^\d+ minutes? ago$/);
    expect(await order.locator('.absolute').textContent()).toMatch(/\d{4}/);
    await expectText(order.locator('.chip').nth(0), 'orderId: ord_9001');
    await expectText(order.locator('.chip').nth(1), 'total: 149.9');
    await expectText(items().nth(4).locator('.type'), 'page.viewed');
    await expectText(items().nth(4).locator('.chip'), '/docs/29'.replace(/^/, 'path: '));
    await expectText(items().nth(4).locator('time.relative').first(), /ago$/);
  });

  it('expands a payload from the keyboard', async () => {
    const order = items().nth(3);
    const payload = order.locator('details.payload pre');
    expect(await payload.isVisible()).toBe(false);
    await order.locator('summary').focus();
    await page.keyboard.press('Enter');
    await expectVisible(payload);
    expect(JSON.parse((await payload.textContent())!)).toEqual({
      orderId: 'ord_9001',
      total: 149.9,
      currency: 'USD',
    });
  });

  it('loads older items while scrolling down, to the beginning of the timeline', async () => {
    for (let i = 0; i < 10 && (await items().count()) < total; i++) {
      await page.locator('#sentinel').scrollIntoViewIfNeeded();
      await page.waitForTimeout(300);
    }
    await expectCount(items(), total);
    await expectVisible(page.getByText('Beginning of the timeline.'));
    await expectText(items().last().locator('.type'), 'page.viewed');
    expect(await items().locator('details.payload code').last().textContent()).toContain('/docs/0');
  });

  it('filters the timeline by type, and clears the filter', async () => {
    await page.getByLabel('Filter by type').fill('order.placed');
    await page.getByLabel('Filter by type').press('Enter');
    await expectCount(items(), 1);
    await expectText(items().first().locator('.type'), 'order.placed');
    await page.getByRole('button', { name: 'Clear' }).click();
    await expectCount(items(), 25);
  });

  it('shows an event posted through the gateway without reloading the page, and takes a screenshot', async () => {
    await expectText(page.locator('#live-status'), 'Live');
    await page.evaluate('window.stillHere = true');
    const [ticket] = await postEvents(gateway.url, apiKey, [
      { customerExternalId: externalId, type: 'ticket.opened', payload: { subject: 'Where is my order?' } },
    ]);

    const arrived = page.locator(`#timeline > li[data-id="${ticket.id}"]`);
    await expectVisible(arrived, 30000);
    await expectText(items().first().locator('.type'), 'ticket.opened');
    await expectText(arrived.locator('.badge'), 'New');
    expect(await page.evaluate('window.stillHere')).toBe(true);

    const path = join(SCREENSHOTS, 'timeline-viewer.png');
    await page.screenshot({ path });
    expect(statSync(path).size).toBeGreaterThan(10_000);
  });
});
