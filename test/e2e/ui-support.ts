import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Locator } from 'playwright-core';
import { request } from '@test/support/api-client';
import { eventually } from '@test/support/eventually';
import { ROOT } from '@test/support/infra-state';

/** Debian's Chromium (scripts/test.sh installs it when missing); playwright-core brings no browser of its own. */
export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'test-output', 'screenshots');
/** A laptop screen. */
export const VIEWPORT = { width: 1366, height: 768 };

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: the UI tests drive Debian's Chromium. Install it with ` +
        '"apt-get update && apt-get install -y chromium" (npm test does it when run as root).',
    );
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export interface StreamEvent {
  id?: string;
  event: string;
  data: any;
}

/** A Server-Sent Events client over fetch, recording every event it receives. */
export class SseClient {
  readonly events: StreamEvent[] = [];
  private ended = false;

  private constructor(
    readonly status: number,
    readonly headers: Headers,
    private readonly controller: AbortController,
  ) {}

  /** Opens the stream; a non-200 answer is returned as is (status, and `body` its JSON). */
  static async open(url: string, headers: Record<string, string>): Promise<SseClient & { body?: any }> {
    const controller = new AbortController();
    const response = await fetch(url, { headers, signal: controller.signal });
    const client = new SseClient(response.status, response.headers, controller);
    if (response.status !== 200 || !response.body) {
      return Object.assign(client, { body: await response.json().catch(() => undefined) });
    }
    void client.read(response.body).catch(() => undefined);
    return client;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of body) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = new Map<string, string>();
        for (const line of frame.split('\n')) {
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          fields.set(line.slice(0, colon), line.slice(colon + 1).replace(/^ /, ''));
        }
        if (!fields.has('data')) continue;
        this.events.push({
          id: fields.get('id'),
          event: fields.get('event') ?? 'message',
          data: JSON.parse(fields.get('data')!),
        });
      }
    }
    this.ended = true;
  }

  get hasEnded(): boolean {
    return this.ended;
  }

  items(): any[] {
    return this.events.filter((e) => e.event === 'item').map((e) => e.data);
  }

  /** Waits until an event satisfies `predicate` and returns it. */
  waitFor(predicate: (event: StreamEvent) => boolean, timeoutMs = 30000): Promise<StreamEvent> {
    return eventually(() => {
      const found = this.events.find(predicate);
      if (!found)
        throw new Error(`no such event yet; got ${JSON.stringify(this.events.map((e) => e.event))}`);
      return found;
    }, timeoutMs);
  }

  close(): void {
    this.controller.abort();
  }
}

/** Posts customer events through the gateway's batch endpoint; returns the accepted events. */
export async function postEvents(
  gatewayUrl: string,
  apiKey: string,
  events: Array<{
    customerExternalId: string;
    type: string;
    title?: string;
    payload?: object;
    occurredAt?: string;
  }>,
): Promise<any[]> {
  const batch = await request(gatewayUrl, 'POST', '/api/v1/customer-events/batch', {
    apiKey,
    body: { events },
  });
  if (batch.status !== 200 || batch.body.data.rejected > 0) {
    throw new Error(`events not accepted: ${JSON.stringify(batch.body)}`);
  }
  return batch.body.data.results.map((r: { data: unknown }) => r.data);
}

/** Waits until the projector's timeline of `externalId` holds `count` items (all on one page). */
export function timelineHolds(projectorUrl: string, apiKey: string, externalId: string, count: number) {
  return eventually(async () => {
    const page = await request(projectorUrl, 'GET', `/api/v1/customers/${externalId}/timeline?limit=200`, {
      apiKey,
    });
    if (page.body?.data?.items?.length !== count) {
      throw new Error(`${externalId} has ${page.body?.data?.items?.length} of ${count} items`);
    }
    return page.body.data.items as any[];
  }, 60000);
}

/** Playwright's own expect is not in playwright-core: small polling assertions instead. */
export async function expectVisible(locator: Locator, timeout = 15000): Promise<void> {
  await locator.waitFor({ state: 'visible', timeout });
}

export async function expectText(
  locator: Locator,
  expected: string | RegExp,
  timeout = 15000,
): Promise<void> {
  const deadline = Date.now() + timeout;
  let actual: string | null = null;
  while (Date.now() < deadline) {
    actual = (await locator.count()) > 0 ? await locator.first().textContent() : null;
    if (actual !== null && (typeof expected === 'string' ? actual === expected : expected.test(actual)))
      return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(actual).toEqual(expected instanceof RegExp ? expect.stringMatching(expected) : expected);
}

export async function expectCount(locator: Locator, count: number, timeout = 15000) {
  const deadline = Date.now() + timeout;
  let actual = await locator.count();
  while (actual !== count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    actual = await locator.count();
  }
  expect(actual).toBe(count);
}
