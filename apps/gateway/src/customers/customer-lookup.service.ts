import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type GatewayEnv } from '@app/config';
import { PgListener } from '@app/database';
import { runOutsideTrace } from '@app/observability/tracing';
import type { WorkspaceId } from '@app/contracts';
import { CustomersRepository } from './customers.repository';

export const CUSTOMER_CACHE_CHANNEL = 'customer_cache';
/** The contract's bound: a delete is seen by every replica's next event request within this delay. */
const TRUST_WINDOW_MS = 1000;
const HEARTBEAT_EVERY_MS = 250;
/** Cache misses of concurrent requests share a query; one query asks for this many externalIds at the most. */
const MAX_IDS_PER_QUERY = 1000;

/** The cache misses of one workspace gathered within one turn of the event loop, and who waits on them. */
interface PendingLookups {
  externalIds: Set<string>;
  waiters: Array<{ resolve: (found: Map<string, string>) => void; reject: (error: unknown) => void }>;
}

export function cacheKey(workspaceId: string, externalId: string): string {
  return `${workspaceId}:${externalId}`;
}

/**
 * externalId → customerId on the ingest hot path. Hits are cached; a delete NOTIFYs every gateway replica
 * (delivered at commit, within milliseconds) and each evicts the entry, so event requests for a deleted
 * customer are a 404 within 1 s everywhere. The replica that made the delete forgets the customer before it
 * answers, so on that replica the very next request is a 404.
 *
 * Why a heartbeat: a LISTEN connection can stall or die silently, and then deletes would go unheard. Each
 * replica NOTIFYs itself every 250 ms; PostgreSQL delivers notifications in commit order, so hearing a
 * heartbeat sent at time t proves every delete committed before t was heard too. The cache is only trusted
 * while the newest heartbeat heard was sent less than 1 s ago; otherwise lookups go to the database.
 *
 * Misses are coalesced: those of every request handled in one turn of the event loop are asked for in one
 * query per workspace (at most 1,000 externalIds each), so a cold cache under load costs a query per turn
 * rather than one per request.
 */
@Injectable()
export class CustomerLookup implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly cache = new LRUCache<string, string>({ max: 100_000, ttl: 10 * 60_000 });
  private readonly heartbeatChannel = `customer_cache_heartbeat_${randomBytes(8).toString('hex')}`;
  private readonly listener: PgListener;
  private heartbeatTimer?: NodeJS.Timeout;
  private beating = false;
  /** When the newest heartbeat heard back was sent (ms since epoch). */
  private heardUpTo = 0;
  /** Bumped by every eviction: a lookup that raced one must not put its (maybe stale) answer in the cache. */
  private evictions = 0;
  private pending = new Map<WorkspaceId, PendingLookups>();
  private flushScheduled = false;

  constructor(
    private readonly db: DataSource,
    private readonly customers: CustomersRepository,
    @Inject(APP_CONFIG) config: GatewayEnv,
  ) {
    this.listener = new PgListener({
      url: config.DATABASE_URL,
      channels: [CUSTOMER_CACHE_CHANNEL, this.heartbeatChannel],
      applicationName: 'gateway-customer-cache',
      onNotification: (channel, payload) =>
        channel === this.heartbeatChannel ? this.heard(Number(payload)) : this.evict(payload),
      onDisconnect: () => {
        this.heardUpTo = 0;
        this.evictions += 1;
        this.cache.clear();
      },
    });
  }

  onApplicationBootstrap(): void {
    this.listener.start();
    this.heartbeatTimer = setInterval(() => void this.beat(), HEARTBEAT_EVERY_MS);
    this.heartbeatTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.heartbeatTimer);
    await this.listener.stop();
  }

  /** The customerId of each externalId that exists in the workspace; one query for all cache misses. */
  async customerIdsOf(workspaceId: WorkspaceId, externalIds: string[]): Promise<Map<string, string>> {
    const trusted = this.trusted();
    const found = new Map<string, string>();
    const missing: string[] = [];
    for (const externalId of new Set(externalIds)) {
      const hit = trusted ? this.cache.get(cacheKey(workspaceId, externalId)) : undefined;
      if (hit) found.set(externalId, hit);
      else missing.push(externalId);
    }
    if (missing.length === 0) return found;
    const fromDatabase = await this.lookUp(workspaceId, missing);
    for (const externalId of missing) {
      const customerId = fromDatabase.get(externalId);
      if (customerId !== undefined) found.set(externalId, customerId);
    }
    return found;
  }

  /** Joins the misses gathered in this turn of the event loop; they are asked for once it ends. */
  private lookUp(workspaceId: WorkspaceId, externalIds: string[]): Promise<Map<string, string>> {
    return new Promise((resolve, reject) => {
      let pending = this.pending.get(workspaceId);
      if (!pending) this.pending.set(workspaceId, (pending = { externalIds: new Set(), waiters: [] }));
      for (const externalId of externalIds) pending.externalIds.add(externalId);
      pending.waiters.push({ resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        // One query serves many requests: it runs outside the trace of whichever came first.
        runOutsideTrace(() => setImmediate(() => this.flushLookups()));
      }
    });
  }

  private flushLookups(): void {
    this.flushScheduled = false;
    const pending = this.pending;
    this.pending = new Map();
    for (const [workspaceId, lookups] of pending) void this.query(workspaceId, lookups);
  }

  private async query(workspaceId: WorkspaceId, { externalIds, waiters }: PendingLookups): Promise<void> {
    const trusted = this.trusted();
    const evictions = this.evictions;
    const ids = [...externalIds];
    try {
      const found = new Map<string, string>();
      for (let i = 0; i < ids.length; i += MAX_IDS_PER_QUERY) {
        const chunk = ids.slice(i, i + MAX_IDS_PER_QUERY);
        const rows = await this.customers.findIdsByExternalIds(this.db.manager, workspaceId, chunk);
        for (const [externalId, customerId] of rows) found.set(externalId, customerId);
      }
      // An answer that raced an eviction may be stale: it serves these requests but is not remembered.
      if (trusted && this.evictions === evictions) {
        for (const [externalId, customerId] of found)
          this.cache.set(cacheKey(workspaceId, externalId), customerId);
      }
      for (const waiter of waiters) waiter.resolve(found);
    } catch (error) {
      for (const waiter of waiters) waiter.reject(error);
    }
  }

  private trusted(): boolean {
    return this.listener.connected && Date.now() - this.heardUpTo < TRUST_WINDOW_MS;
  }

  private async beat(): Promise<void> {
    // One at a time: on a stalled connection, heartbeats must not pile up behind each other.
    if (!this.listener.connected || this.beating) return;
    this.beating = true;
    try {
      // On the LISTEN connection itself: a busy pool must not starve the heartbeat.
      await this.listener.notify(this.heartbeatChannel, String(Date.now()));
    } catch {
      // Not heard back, so the cache stops being trusted within TRUST_WINDOW_MS; nothing else to do.
    } finally {
      this.beating = false;
    }
  }

  private heard(sentAt: number): void {
    if (sentAt > this.heardUpTo) this.heardUpTo = sentAt;
  }

  /** For a delete made by this replica: forgotten at once, without waiting for its own NOTIFY to come back. */
  forget(workspaceId: string, externalId: string): void {
    this.evict(cacheKey(workspaceId, externalId));
  }

  private evict(key: string): void {
    this.evictions += 1;
    this.cache.delete(key);
  }
}
