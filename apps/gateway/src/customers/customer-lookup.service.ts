import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type GatewayEnv } from '@app/config';
import { PgListener } from '@app/database';
import type { WorkspaceId } from '@app/contracts';
import { CustomersRepository } from './customers.repository';

export const CUSTOMER_CACHE_CHANNEL = 'customer_cache';
/** The contract's bound: a delete is seen by every replica's next event request within this delay. */
const TRUST_WINDOW_MS = 1000;
const HEARTBEAT_EVERY_MS = 250;

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
    const evictions = this.evictions;
    const fromDatabase = await this.query(workspaceId, missing);
    const cacheable = trusted && this.evictions === evictions;
    for (const [externalId, customerId] of fromDatabase) {
      found.set(externalId, customerId);
      if (cacheable) this.cache.set(cacheKey(workspaceId, externalId), customerId);
    }
    return found;
  }

  private query(workspaceId: WorkspaceId, externalIds: string[]): Promise<Map<string, string>> {
    return this.customers.findIdsByExternalIds(this.db.manager, workspaceId, externalIds);
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
