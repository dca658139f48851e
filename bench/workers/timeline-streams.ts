import { Pool } from 'undici';

/** The part of a timeline item (API page or stream frame) the samplers read. */
export interface TimelineItemData {
  id?: string;
  payload?: { changes?: { fullName?: { to?: unknown } } };
}

/** A customer change's item, by the unique full name the sampler's PATCH set. */
export const changedFullName = (item: TimelineItemData): string | undefined => {
  const to = item.payload?.changes?.fullName?.to;
  return typeof to === 'string' ? to : undefined;
};

/**
 * One live timeline stream (`GET …/timeline/stream`, Server-Sent Events) per sampled customer: tells when an
 * item has landed, so the latency sampler reads the timeline once, right then, instead of polling it. Polling
 * every few milliseconds for each sample in flight put more read load on the projector than the writes it
 * was measuring, and the slower it got the more it was polled.
 */
export class TimelineStreams {
  private readonly pool: Pool;
  /** Item id → when its `item` event arrived (performance.now()). */
  private readonly arrived = new Map<string, number>();
  private readonly waiters = new Map<string, () => void>();
  private readonly aborts: AbortController[] = [];

  constructor(
    projectorUrl: string,
    private readonly apiKey: string,
    streams: number,
    /** What identifies an item for `waitFor`: its id unless told otherwise. */
    private readonly keyOf: (item: TimelineItemData) => string | undefined = (item) => item.id,
  ) {
    this.pool = new Pool(projectorUrl, { connections: streams, keepAliveTimeout: 30_000 });
  }

  /** Opens a stream for each customer and resolves once every one has said `ready`. */
  async open(externalIds: string[]): Promise<void> {
    await Promise.all(externalIds.map((externalId) => this.follow(externalId)));
  }

  /** Resolves true once the item (by its key) has landed (maybe already), false after `timeoutMs`. */
  waitFor(itemId: string, timeoutMs: number): Promise<boolean> {
    if (this.arrived.delete(itemId)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(itemId);
        resolve(false);
      }, timeoutMs);
      this.waiters.set(itemId, () => {
        clearTimeout(timer);
        this.waiters.delete(itemId);
        resolve(true);
      });
    });
  }

  async close(): Promise<void> {
    for (const abort of this.aborts) abort.abort();
    await this.pool.destroy();
  }

  private async follow(externalId: string): Promise<void> {
    const abort = new AbortController();
    this.aborts.push(abort);
    const response = await this.pool.request({
      method: 'GET',
      path: `/api/v1/customers/${externalId}/timeline/stream`,
      headers: { 'x-api-key': this.apiKey, accept: 'text/event-stream' },
      signal: abort.signal,
    });
    if (response.statusCode !== 200)
      throw new Error(`timeline stream of ${externalId}: HTTP ${response.statusCode}`);
    let markReady!: () => void;
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    let buffer = '';
    response.body.setEncoding('utf8');
    response.body.on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(frame)?.[1];
        if (event === 'ready') markReady();
        if (event !== 'item') continue;
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        const id = data ? this.keyOf(JSON.parse(data) as TimelineItemData) : undefined;
        if (!id) continue;
        const waiter = this.waiters.get(id);
        if (waiter) waiter();
        else this.arrived.set(id, performance.now());
      }
    });
    response.body.on('error', () => undefined);
    await ready;
  }
}
