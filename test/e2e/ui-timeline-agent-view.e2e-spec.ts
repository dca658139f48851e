import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { request } from '@test/support/api-client';
import { AppProcess } from '@test/support/app-process';
import { eventually } from '@test/support/eventually';
import { createApiKey, uniqueExternalId } from '@test/support/fixtures';
import { ROOT } from '@test/support/infra-state';
import { expectCount, expectText, expectVisible, launchChromium, postEvents, VIEWPORT } from './ui-support';

/** Committed with the documentation: an agent's view of a busy customer. */
const DOCS_SCREENSHOTS = join(ROOT, 'docs', 'screenshots');
const EVENTS = 1000;

/** A realistic mix: page views without titles (summarised by their fields), titled orders and tickets. */
function busyCustomerEvents(externalId: string) {
  const start = Date.now() - EVENTS * 60_000;
  return Array.from({ length: EVENTS }, (_, i) => {
    const occurredAt = new Date(start + i * 60_000).toISOString();
    const base = { customerExternalId: externalId, occurredAt };
    if (i % 10 === 3)
      return {
        ...base,
        type: 'order.placed',
        title: `Order ord_${9000 + i} placed: ${(i % 7) * 20 + 9.9} USD`,
        payload: {
          orderId: `ord_${9000 + i}`,
          total: (i % 7) * 20 + 9.9,
          currency: 'USD',
          lines: [{ sku: 'A' }],
        },
      };
    if (i % 25 === 7)
      return {
        ...base,
        type: 'ticket.opened',
        title: `Ticket #${i}: "Where is my order?"`,
        payload: { ticketId: `t_${i}`, channel: 'email', priority: 'normal' },
      };
    if (i % 5 === 1)
      return { ...base, type: 'email.opened', payload: { campaign: 'spring-sale', messageId: `m_${i}` } };
    return {
      ...base,
      type: 'page.viewed',
      payload: {
        path: `/products/${i % 40}`,
        referrer: 'google',
        durationMs: 1200 + i,
        device: 'mobile',
        browser: 'Safari',
      },
    };
  });
}

describe("agent's view of a customer with 1,000 events at /ui, in headless Chromium", () => {
  let gateway: AppProcess;
  let projector: AppProcess;
  let browser: Browser;
  let page: Page;
  let apiKey: string;
  const externalId = uniqueExternalId('busy');
  const events = busyCustomerEvents(externalId);
  const countOf = (type: string) => events.filter((e) => e.type === type).length;

  beforeAll(async () => {
    browser = await launchChromium();
    [gateway, projector] = await Promise.all([AppProcess.start('gateway'), AppProcess.start('projector')]);
    ({ apiKey } = await createApiKey());
    await request(gateway.url, 'PUT', `/api/v1/customers/${externalId}`, {
      apiKey,
      body: { email: `ada.${externalId}@analytical.example`, fullName: 'Ada Lovelace', shortName: 'Ada' },
    });
    await postEvents(gateway.url, apiKey, events);
    await eventually(async () => {
      const { body } = await request(projector.url, 'GET', `/api/v1/customers/${externalId}/timeline/types`, {
        apiKey,
      });
      expect(body.data.items.reduce((n: number, t: { count: number }) => n + t.count, 0)).toBe(EVENTS + 1);
    }, 60000);
    const context = await browser.newContext({
      viewport: VIEWPORT,
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    page = await context.newPage();
    page.setDefaultTimeout(10000);
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([gateway?.stop(), projector?.stop()]);
  });

  const items = () => page.locator('#timeline > li');

  it('opens a deep link in a new tab by asking for the key first, then the customer', async () => {
    await page.goto(`${projector.url}/ui/?externalId=${externalId}`);
    await expectText(page.locator('#message'), `Enter an API key to open ${externalId}.`);
    await page.getByLabel('API key').fill(apiKey);
    await page.getByLabel('API key').press('Enter');
    await expectText(page.locator('#profile-name'), 'Ada Lovelace (Ada)');
    await expectCount(items(), 25);
  });

  it('shows one line per event: the title, else the first scalar fields as chips, in the order sent', async () => {
    const order = page.locator('#timeline > li[data-type="order.placed"]').first();
    await expectText(order.locator('.title'), /^Order ord_\d+ placed: [\d.]+ USD$/);
    const view = page.locator('#timeline > li[data-type="page.viewed"]').first();
    expect(await view.locator('.chip').allTextContents()).toEqual([
      expect.stringMatching(/^path: \/products\/\d+$/),
      'referrer: google',
      expect.stringMatching(/^durationMs: \d+$/),
      'device: mobile',
    ]);
    const email = page.locator('#timeline > li[data-type="email.opened"]').first();
    expect(await email.locator('.chip').allTextContents()).toEqual([
      'campaign: spring-sale',
      expect.stringMatching(/^messageId: m_\d+$/),
    ]);
  });

  it('counts every type of the customer, most frequent first', async () => {
    const counts = page.locator('#type-counts li');
    await expectCount(counts, 5);
    const expected = [
      ['page.viewed', countOf('page.viewed')],
      ['email.opened', countOf('email.opened')],
      ['order.placed', countOf('order.placed')],
      ['ticket.opened', countOf('ticket.opened')],
      ['customer.customer_created', 1],
    ].sort((a, b) => Number(b[1]) - Number(a[1]));
    for (const [i, [type, count]] of expected.entries()) {
      await expectText(counts.nth(i).locator('.type-name'), String(type));
      await expectText(counts.nth(i).locator('.count'), Number(count).toLocaleString('en-US'));
    }
    const path = join(DOCS_SCREENSHOTS, 'timeline-viewer.png');
    await page.screenshot({ path });
    expect(statSync(path).size).toBeGreaterThan(10_000);
  });

  it('hides a type and shows only another, keeping both filters in the URL', async () => {
    await page.getByRole('button', { name: 'Hide page.viewed' }).click();
    await eventually(() => expect(new URL(page.url()).searchParams.get('excludeTypes')).toBe('page.viewed'));
    await expectCount(items(), 25);
    expect(await items().evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-type')))).not.toContain(
      'page.viewed',
    );
    await page.getByRole('button', { name: 'Hide email.opened' }).click();
    await eventually(() =>
      expect(new URL(page.url()).searchParams.get('excludeTypes')).toBe('page.viewed,email.opened'),
    );
    await eventually(async () =>
      expect(
        new Set(await items().evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-type')))),
      ).toEqual(new Set(['customer.customer_created', 'order.placed', 'ticket.opened'])),
    );
    const path = join(DOCS_SCREENSHOTS, 'timeline-filters.png');
    await page.screenshot({ path });
    expect(statSync(path).size).toBeGreaterThan(10_000);

    await page.reload();
    await expectText(page.locator('#profile-name'), 'Ada Lovelace (Ada)');
    expect(await page.getByRole('button', { name: 'Hide page.viewed' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    await page.getByRole('button', { name: 'Only ticket.opened' }).click();
    await eventually(() => expect(new URL(page.url()).searchParams.get('types')).toBe('ticket.opened'));
    await eventually(async () =>
      expect(
        await items().evaluateAll((nodes) => [...new Set(nodes.map((n) => n.getAttribute('data-type')))]),
      ).toEqual(['ticket.opened']),
    );
    await page.getByRole('button', { name: 'Clear' }).click();
    await eventually(() => expect(new URL(page.url()).search).toBe(`?externalId=${externalId}`));
  });

  it('copies an id and a payload, its keys in the order they were sent', async () => {
    await expectCount(items(), 25);
    const [sent] = await postEvents(gateway.url, apiKey, [
      { customerExternalId: externalId, type: 'note.added', payload: { zeta: 1, alpha: 'two', mid: true } },
    ]);
    const item = page.locator(`#timeline > li[data-id="${sent.id}"]`);
    await expectVisible(item, 30000);
    expect(await item.locator('.chip').allTextContents()).toEqual(['zeta: 1', 'alpha: two', 'mid: true']);
    await item.locator('summary').click();
    expect(await item.locator('code').textContent()).toBe(
      '{\n  "zeta": 1,\n  "alpha": "two",\n  "mid": true\n}',
    );
    await item.getByRole('button', { name: `Copy id ${sent.id}` }).click();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(sent.id);
    await item.getByRole('button', { name: `Copy payload of ${sent.id}` }).click();
    expect(JSON.parse(String(await page.evaluate('navigator.clipboard.readText()')))).toEqual(sent.payload);
    await page.getByRole('button', { name: 'Copy customer id' }).click();
    expect(await page.evaluate('navigator.clipboard.readText()')).toMatch(/^c_[0-9A-Z]{26}$/);
  });

  it('announces an item landing in view, and counts those landing above the view on a pill', async () => {
    await page.evaluate('window.scrollTo(0, 0)');
    const [inView] = await postEvents(gateway.url, apiKey, [
      { customerExternalId: externalId, type: 'chat.started' },
    ]);
    await expectVisible(page.locator(`#timeline > li[data-id="${inView.id}"]`), 30000);
    await expectText(page.locator('#message'), 'New on the timeline: chat.started');
    await expect(page.locator('#newer-pill').isVisible()).resolves.toBe(false);

    await items().nth(20).scrollIntoViewIfNeeded();
    await page.evaluate('window.scrollBy(0, 400)');
    await postEvents(gateway.url, apiKey, [
      { customerExternalId: externalId, type: 'chat.ended' },
      { customerExternalId: externalId, type: 'chat.rated' },
    ]);
    await expectText(page.locator('#newer-pill'), '2 newer events above', 30000);
    await expectText(page.locator('#message'), 'New on the timeline: chat.started');
    await page.locator('#newer-pill').click();
    await eventually(async () => expect(await page.locator('#newer-pill').isVisible()).toBe(false));
  });

  it('finds the customer by part of the email, and lists several matches to choose from', async () => {
    const other = uniqueExternalId('busy');
    await request(gateway.url, 'PUT', `/api/v1/customers/${other}`, {
      apiKey,
      body: { email: `ada.${other}@analytical.example`, fullName: 'Ada Byron' },
    });
    // The directory is a projection: wait until it holds both customers, so the page has two to list.
    await eventually(async () => {
      const { body } = await request(projector.url, 'GET', '/api/v1/customers?query=analytical.example', {
        apiKey,
      });
      expect(body.data.items.length).toBeGreaterThanOrEqual(2);
    }, 30000);
    await page.getByLabel('Find a customer').fill('ANALYTICAL.example');
    await page.getByLabel('Find a customer').press('Enter');
    const results = page.locator('#search-results button');
    await eventually(async () => expect(await results.count()).toBeGreaterThanOrEqual(2), 30000);
    await page.locator('#search-results button', { hasText: other }).click();
    await expectText(page.locator('#profile-name'), 'Ada Byron');
    await page.getByLabel('Find a customer').fill(`ada.${externalId}@`);
    await page.getByLabel('Find a customer').press('Enter');
    await expectText(page.locator('#profile-name'), 'Ada Lovelace (Ada)');
  });

  it('shows the skip link without covering the title when it takes the focus', async () => {
    await page.goto(`${projector.url}/ui/`);
    await page.keyboard.press('Tab');
    const link = page.getByText('Skip to the timeline');
    await expectVisible(link);
    const [linkBox, titleBox] = [await link.boundingBox(), await page.locator('h1').boundingBox()];
    const overlaps =
      linkBox!.x < titleBox!.x + titleBox!.width &&
      titleBox!.x < linkBox!.x + linkBox!.width &&
      linkBox!.y < titleBox!.y + titleBox!.height &&
      titleBox!.y < linkBox!.y + linkBox!.height;
    expect(overlaps).toBe(false);
  });
});
