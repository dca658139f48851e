import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { eventually, sleep } from './eventually';

/** What one request of the load got back. `status` 0 is a network error (no HTTP answer at all). */
export interface LoadOutcome {
  marker: string;
  customerExternalId: string;
  idempotencyKey?: string;
  status: number;
  eventId?: string;
  code?: string;
  error?: string;
  sentAt: number;
  answeredAt: number;
}

export interface EventLoadOptions {
  /** Read before each request, so a test can point the load at a restarted gateway. */
  gatewayUrl: () => string;
  apiKey: string;
  /** The customers the events go to, in turn (as they are when the load is made). */
  customers: ReadonlyArray<{ externalId: string }>;
  /** Requests in flight at once. */
  concurrency?: number;
  /**
   * Each logical event carries an Idempotency-Key and is retried (same key, same body) until it is accepted,
   * like a well-behaved client; without it each event is sent once, whatever the answer.
   */
  idempotentRetries?: boolean;
  /** Pause between two requests of one worker. */
  pauseMs?: number;
}

/**
 * Steady event load through the gateway, recording every answer. Each logical event has a unique `marker`
 * in its payload, so the timeline can be checked for each of them, exactly once, whatever ids it got.
 */
export class EventLoad {
  /** Loads still sending: the e2e setup stops them after each file, also when a test failed half-way. */
  private static readonly active = new Set<EventLoad>();
  readonly outcomes: LoadOutcome[] = [];
  private running = false;
  private abandoned = false;
  private workers: Promise<void>[] = [];
  private sequence = 0;
  private readonly tag = randomBytes(4).toString('hex');

  private readonly customerExternalIds: string[];

  constructor(private readonly options: EventLoadOptions) {
    this.customerExternalIds = options.customers.map((c) => c.externalId);
  }

  /**
   * Stops every load still running, without the retries an idempotent load would otherwise finish with: the
   * gateway they were sending to may be gone already.
   */
  static abandonAll(): Promise<void[]> {
    return Promise.all(
      [...EventLoad.active].map((load) => {
        load.abandoned = true;
        return load.stop();
      }),
    );
  }

  start(): this {
    EventLoad.active.add(this);
    this.running = true;
    this.workers = Array.from({ length: this.options.concurrency ?? 4 }, (_, i) => this.work(i));
    return this;
  }

  /** Stops sending new events; an idempotent client still finishes (gets accepted) the event in hand. */
  async stop(): Promise<void> {
    EventLoad.active.delete(this);
    this.running = false;
    await Promise.all(this.workers);
  }

  /** The answers that acknowledged an event (2xx), one per accepted request. */
  get accepted(): LoadOutcome[] {
    return this.outcomes.filter((o) => o.status >= 200 && o.status < 300);
  }

  /** Whether a marker was made by this load (several loads may write to the same customers). */
  owns(marker: string): boolean {
    return marker.startsWith(`${this.tag}-`);
  }

  /** Logical events acknowledged at least once, by marker. */
  acceptedMarkers(): Set<string> {
    return new Set(this.accepted.map((o) => o.marker));
  }

  private async work(worker: number): Promise<void> {
    while (this.running) {
      const n = this.sequence++;
      const customerExternalId = this.customerExternalIds[n % this.customerExternalIds.length];
      const marker = `${this.tag}-${worker}-${n}`;
      const body = { customerExternalId, type: 'load.tick', payload: { marker, n } };
      if (this.options.idempotentRetries) {
        const idempotencyKey = `load-${marker}`;
        for (let attempt = 0; ; attempt++) {
          const outcome = await this.send(body, marker, idempotencyKey);
          if (outcome.status >= 200 && outcome.status < 300) break;
          if (this.abandoned) break;
          if (
            outcome.status >= 400 &&
            outcome.status < 500 &&
            outcome.status !== 409 &&
            outcome.status !== 429
          )
            break;
          await sleep(Math.min(100 * 2 ** attempt, 1000));
        }
      } else {
        await this.send(body, marker);
      }
      if (this.options.pauseMs) await sleep(this.options.pauseMs);
    }
  }

  private async send(
    body: { customerExternalId: string; type: string; payload: unknown },
    marker: string,
    idempotencyKey?: string,
  ): Promise<LoadOutcome> {
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'X-API-Key': this.options.apiKey,
    };
    if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
    const sentAt = Date.now();
    let outcome: LoadOutcome;
    try {
      const response = await fetch(`${this.options.gatewayUrl()}/api/v1/customer-events`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      const parsed = (await response.json().catch(() => undefined)) as
        { data?: { id?: string }; error?: { code?: string } } | undefined;
      outcome = {
        marker,
        customerExternalId: body.customerExternalId,
        idempotencyKey,
        status: response.status,
        eventId: parsed?.data?.id,
        code: parsed?.error?.code,
        sentAt,
        answeredAt: Date.now(),
      };
    } catch (error) {
      outcome = {
        marker,
        customerExternalId: body.customerExternalId,
        idempotencyKey,
        status: 0,
        error:
          error instanceof Error
            ? `${error.message} ${error.cause instanceof Error ? error.cause.message : ''}`
            : String(error),
        sentAt,
        answeredAt: Date.now(),
      };
    }
    this.outcomes.push(outcome);
    return outcome;
  }
}

/** How many timeline rows carry each load marker, for the given customers, read straight from the read model. */
export async function timelineMarkerCounts(
  customerIds: string[],
  databaseUrl = process.env.DATABASE_URL!,
): Promise<Map<string, number>> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ marker: string; n: number }>(
      `SELECT payload->>'marker' AS marker, count(*)::int AS n FROM timeline_items
       WHERE customer_id = ANY($1) AND type = 'load.tick' GROUP BY 1`,
      [customerIds],
    );
    return new Map(rows.map((r) => [r.marker, r.n]));
  } finally {
    await db.end();
  }
}

/** Markers projected other than exactly once, and projected markers never acknowledged: both must be empty. */
export function exactlyOnceReport(accepted: Set<string>, counts: Map<string, number>) {
  return {
    missing: [...accepted].filter((m) => !counts.has(m)),
    duplicated: [...counts].filter(([, n]) => n !== 1).map(([m, n]) => `${m}×${n}`),
  };
}

/** Waits until every accepted marker is projected exactly once and no refused one (503) landed. */
export function projectedExactlyOnce(
  customerIds: string[],
  accepted: Set<string>,
  refused: string[],
  timeoutMs: number,
  intervalMs: number,
): Promise<void> {
  return eventually(
    async () => {
      const counts = await timelineMarkerCounts(customerIds);
      expect(exactlyOnceReport(accepted, counts)).toEqual({ missing: [], duplicated: [] });
      expect(refused.filter((m) => counts.has(m))).toEqual([]);
    },
    timeoutMs,
    intervalMs,
  );
}
