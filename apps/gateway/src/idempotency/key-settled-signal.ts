import { PgListener } from '@app/database';

/** NOTIFY channel: payload = the workspace whose keys were completed or released (any replica's). */
export const IDEMPOTENCY_KEYS_CHANNEL = 'idempotency_keys';

/** A wait on one workspace's keys: resolves at the next completion or release heard, or after `ms`. */
export interface KeySettledSubscription {
  /** True while notifications can be heard; when false, waiters must re-check on their own. */
  readonly listening: boolean;
  /** Resolves at once when a notification came since the last call (or since subscribing). */
  next(ms: number): Promise<void>;
  close(): void;
}

interface Waiter {
  heard: boolean;
  wake?: () => void;
}

/**
 * Tells requests waiting on another request's Idempotency-Key that keys of their workspace were completed or
 * released, through PostgreSQL LISTEN/NOTIFY (so across replicas). Subscribing before the re-check and
 * remembering a notification that came before `next` means none is lost between the two.
 */
export class KeySettledSignal {
  private readonly listener: PgListener;
  private readonly waiters = new Map<string, Set<Waiter>>();

  constructor(url: string, applicationName: string) {
    this.listener = new PgListener({
      url,
      channels: [IDEMPOTENCY_KEYS_CHANNEL],
      applicationName,
      onNotification: (_, workspaceId) => this.heard(workspaceId),
      // Notifications may have been missed: every waiter re-checks.
      onDisconnect: () => {
        for (const set of this.waiters.values()) for (const waiter of set) this.wake(waiter);
      },
    });
  }

  /** True while the LISTEN connection is up. */
  get listening(): boolean {
    return this.listener.connected;
  }

  start(): void {
    this.listener.start();
  }

  stop(): Promise<void> {
    return this.listener.stop();
  }

  subscribe(workspaceId: string): KeySettledSubscription {
    const waiter: Waiter = { heard: false };
    const set = this.waiters.get(workspaceId) ?? new Set<Waiter>();
    this.waiters.set(workspaceId, set);
    set.add(waiter);
    const listener = this.listener;
    return {
      get listening() {
        return listener.connected;
      },
      next: (ms) => {
        if (waiter.heard) {
          waiter.heard = false;
          return Promise.resolve();
        }
        return new Promise((resolve) => {
          const timer = setTimeout(() => done(), ms);
          const done = () => {
            clearTimeout(timer);
            waiter.wake = undefined;
            waiter.heard = false;
            resolve();
          };
          waiter.wake = done;
        });
      },
      close: () => {
        waiter.wake?.();
        set.delete(waiter);
        if (set.size === 0 && this.waiters.get(workspaceId) === set) this.waiters.delete(workspaceId);
      },
    };
  }

  private heard(workspaceId: string): void {
    for (const waiter of this.waiters.get(workspaceId) ?? []) this.wake(waiter);
  }

  private wake(waiter: Waiter): void {
    waiter.heard = true;
    waiter.wake?.();
  }
}
