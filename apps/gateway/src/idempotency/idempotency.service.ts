import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, type GatewayEnv } from '@app/config';
import { RepeatedFailureLog } from '@app/observability/repeated-failure.log';
import type { ClaimHandle, IdempotencyClaim, IdempotencyRecord } from './idempotency-record';
import { IdempotencyRepository } from './idempotency.repository';
import { type KeyState, keyStateOf } from './key-state';
import { KeySettledSignal } from './key-settled-signal';

/** Without a LISTEN connection (lost, reconnecting), waiters re-check this often, as they always did. */
const POLL_MS = 100;
/** With one, a notification wakes them; this bounded re-check covers one that was missed. */
const RECHECK_MS = 1000;

export interface KeyedRequest {
  key: string;
  hash: string;
}

/**
 * Claims, waits on and settles Idempotency-Keys. A key is claimed (with its event) before the event is
 * published, completed after the broker acknowledged, released when the publish failed, and taken over when
 * released or when its owner has been silent for longer than any live request can take (it crashed). Whoever
 * takes a key over publishes the stored event: one key, one event id, whatever happened to earlier attempts.
 */
@Injectable()
export class IdempotencyService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdempotencyService.name);
  /** A database that is down fails these on every request: one line with the stack, then a count per minute. */
  private readonly failures = new RepeatedFailureLog(this.logger);
  /** How long a request waits on another one holding its key before answering 409. */
  readonly waitMs: number;
  /** Longer than an honest owner can take: a customer lookup plus a publish bounded by the publish timeout. */
  readonly abandonAfterMs: number;
  /** The fallback re-check of a waiter while notifications are heard (one may be missed). */
  recheckMs = RECHECK_MS;
  private readonly settledSignal: KeySettledSignal;

  constructor(
    private readonly repository: IdempotencyRepository,
    @Inject(APP_CONFIG) config: GatewayEnv,
  ) {
    this.waitMs = config.IDEMPOTENCY_WAIT_MS;
    this.abandonAfterMs = Math.max(30_000, 2 * config.KAFKA_PUBLISH_TIMEOUT_MS + 10_000);
    this.settledSignal = new KeySettledSignal(config.DATABASE_URL, 'gateway-idempotency-waits');
  }

  onApplicationBootstrap(): void {
    this.settledSignal.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.settledSignal.stop();
  }

  async find(workspaceId: string, keys: string[]): Promise<Map<string, IdempotencyRecord>> {
    if (keys.length === 0) return new Map();
    const records = await this.repository.find(workspaceId, [...new Set(keys)], this.abandonAfterMs);
    return new Map(records.map((r) => [r.key, r]));
  }

  async claim(workspaceId: string, claims: IdempotencyClaim[]): Promise<Map<string, ClaimHandle>> {
    const won = await this.repository.claim(workspaceId, claims);
    return new Map(won.map((h) => [h.key, h]));
  }

  takeOver(workspaceId: string, record: IdempotencyRecord): Promise<ClaimHandle | undefined> {
    return this.repository.takeOver(workspaceId, record, this.abandonAfterMs);
  }

  /**
   * Best effort: the events are already acknowledged, so the client gets its 2xx even if this fails. A claim
   * left in flight is taken over by a later retry, which re-publishes the same event id (consumers dedupe).
   */
  async complete(workspaceId: string, handles: ClaimHandle[]): Promise<void> {
    await this.repository.complete(workspaceId, handles).catch((error: unknown) => {
      this.failures.warn({ err: error, keys: handles.length }, 'Could not mark idempotency keys completed');
    });
  }

  /** Best effort too: a claim that could not be released is taken over once abandoned, a little later. */
  async release(workspaceId: string, handles: ClaimHandle[]): Promise<void> {
    await this.repository.release(workspaceId, handles).catch((error: unknown) => {
      this.failures.warn({ err: error, keys: handles.length }, 'Could not release idempotency keys');
    });
  }

  /**
   * Waits until no request is still in flight on these keys, or the deadline passes (those stay `in_flight`).
   * Checks once at once: the key may have been settled by the caller's own round. Then re-checks when a key of
   * the workspace is completed or released (NOTIFY from the repository, any replica), at the latest every
   * `recheckMs` in case a notification was missed, and every 100 ms while no LISTEN connection is up.
   */
  async waitForOthers<T extends KeyedRequest>(
    workspaceId: string,
    requests: T[],
    deadline: number,
  ): Promise<Array<{ request: T; state: KeyState }>> {
    const settled: Array<{ request: T; state: KeyState }> = [];
    let waiting = requests;
    // Subscribed before the first check: a completion between the check and the wait is not lost.
    const subscription = this.settledSignal.subscribe(workspaceId);
    try {
      for (;;) {
        const records = await this.find(
          workspaceId,
          waiting.map((r) => r.key),
        );
        const still: T[] = [];
        for (const request of waiting) {
          const state = keyStateOf(records.get(request.key), request.hash);
          if (state.kind === 'in_flight') still.push(request);
          else settled.push({ request, state });
        }
        waiting = still;
        const left = deadline - Date.now();
        if (waiting.length === 0 || left <= 0) break;
        const recheck = subscription.listening ? this.recheckMs : POLL_MS;
        await subscription.next(Math.min(recheck, left));
      }
    } finally {
      subscription.close();
    }
    return [...settled, ...waiting.map((request) => ({ request, state: { kind: 'in_flight' } as const }))];
  }
}
