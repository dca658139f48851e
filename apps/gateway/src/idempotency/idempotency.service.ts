import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { CustomerEventMessage, WorkspaceId } from '@app/contracts';
import { APP_CONFIG, type GatewayEnv } from '@app/config';
import { RepeatedFailureLog } from '@app/observability/repeated-failure.log';
import type { ClaimHandle, IdempotencyClaim, IdempotencyRecord } from './idempotency-record';
import { IdempotencyRepository } from './idempotency.repository';
import { type KeyState, keyStateOf } from './key-state';
import { type Keyed, type KeyedWork, planKeys } from './key-plan';
import { KeySettledSignal } from './key-settled-signal';

/** Without a LISTEN connection (lost, reconnecting), waiters re-check this often, as they always did. */
const POLL_MS = 100;
/** With one, a notification wakes them; this bounded re-check covers one that was missed. */
const RECHECK_MS = 1000;

export interface KeyedRequest {
  key: string;
  hash: string;
}

/** Safety net: rounds only repeat when another request released or abandoned a key this one waited on. */
const MAX_ROUNDS = 5;

export interface ToPublish<I> {
  item: I;
  message: CustomerEventMessage;
}

/** What the ingestion contributes to an idempotent run: building messages, publishing them, answering. */
export interface IdempotentSteps<I extends KeyedWork> {
  /** Looks up and builds the messages of fresh requests; the requests it leaves out it has answered itself. */
  build(items: I[]): Promise<Array<ToPublish<I>>>;
  /**
   * Publishes and answers the published requests. Resolves true once durable; resolves false when it answered
   * them with an error itself (their keys are released); a rejection releases the keys and propagates.
   */
  publish(entries: Array<ToPublish<I>>): Promise<boolean>;
  /** Answers a request from its key: a replay, a key reused with another body, or still in flight. */
  settled(item: I, state: KeyState): void;
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

  /**
   * Runs requests with and without Idempotency-Keys through rounds of: find their keys, plan (see `planKeys`),
   * build the fresh ones, claim their keys, take over abandoned keys, publish, complete or release; then wait
   * on keys other requests hold and run again those whose key was released or abandoned meanwhile. When none
   * carries a key, the steps build and publish once, with no round trip of the run's own.
   */
  async run<I extends KeyedWork>(
    workspaceId: WorkspaceId,
    items: I[],
    steps: IdempotentSteps<I>,
  ): Promise<void> {
    if (items.every((item) => item.key === undefined)) {
      // No Idempotency-Key: nothing to find, claim, wait on or complete; the steps run as they are.
      const built = items.length === 0 ? [] : await steps.build(items);
      if (built.length > 0) await steps.publish(built);
      return;
    }
    const deadline = Date.now() + this.waitMs;
    let pending = items;
    for (let round = 1; pending.length > 0; round++) {
      const waiting = await this.round(workspaceId, pending, steps);
      pending = [];
      if (waiting.length === 0) break;
      for (const { request: item, state } of await this.waitForOthers(workspaceId, waiting, deadline)) {
        if ((state.kind === 'absent' || state.kind === 'abandoned') && round < MAX_ROUNDS) pending.push(item);
        else steps.settled(item, state);
      }
    }
  }

  /** One pass over the pending requests; returns those that must wait on a key another request holds. */
  private async round<I extends KeyedWork>(
    workspaceId: WorkspaceId,
    items: I[],
    steps: IdempotentSteps<I>,
  ): Promise<Array<Keyed<I>>> {
    const keys = items.flatMap((i) => (i.key === undefined ? [] : [i.key]));
    const { fresh, takeovers, waiting, settled } = planKeys(items, await this.find(workspaceId, keys));
    for (const { item, state } of settled) steps.settled(item, state);

    const built = fresh.length === 0 ? [] : await steps.build(fresh);
    const claimed = await this.claim(
      workspaceId,
      built.flatMap(({ item, message }) =>
        item.key === undefined ? [] : [{ key: item.key, requestHash: item.hash!, message }],
      ),
    );
    const toPublish: Array<ToPublish<I>> = [];
    const owned: ClaimHandle[] = [];
    for (const entry of built) {
      const handle = entry.item.key === undefined ? undefined : claimed.get(entry.item.key);
      if (entry.item.key !== undefined && !handle) {
        waiting.push(entry.item as Keyed<I>); // another request claimed the key first
        continue;
      }
      if (handle) owned.push(handle);
      toPublish.push(entry);
    }
    for (const { item, record } of takeovers) {
      const handle = await this.takeOver(workspaceId, record);
      if (!handle) {
        waiting.push(item);
        continue;
      }
      owned.push(handle);
      // The stored event, id and times included: a consumer that got the first publish dedupes this one.
      toPublish.push({ item, message: record.message });
    }
    if (toPublish.length > 0) await this.publish(workspaceId, toPublish, owned, steps);
    return waiting;
  }

  private async publish<I extends KeyedWork>(
    workspaceId: WorkspaceId,
    entries: Array<ToPublish<I>>,
    owned: ClaimHandle[],
    steps: IdempotentSteps<I>,
  ): Promise<void> {
    let published: boolean;
    try {
      published = await steps.publish(entries);
    } catch (error) {
      await this.release(workspaceId, owned);
      throw error;
    }
    if (published) await this.complete(workspaceId, owned);
    else await this.release(workspaceId, owned);
  }

  async find(workspaceId: WorkspaceId, keys: string[]): Promise<Map<string, IdempotencyRecord>> {
    if (keys.length === 0) return new Map();
    const records = await this.repository.find(workspaceId, [...new Set(keys)], this.abandonAfterMs);
    return new Map(records.map((r) => [r.key, r]));
  }

  async claim(workspaceId: WorkspaceId, claims: IdempotencyClaim[]): Promise<Map<string, ClaimHandle>> {
    const won = await this.repository.claim(workspaceId, claims);
    return new Map(won.map((h) => [h.key, h]));
  }

  takeOver(workspaceId: WorkspaceId, record: IdempotencyRecord): Promise<ClaimHandle | undefined> {
    return this.repository.takeOver(workspaceId, record, this.abandonAfterMs);
  }

  /**
   * Best effort: the events are already acknowledged, so the client gets its 2xx even if this fails. A claim
   * left in flight is taken over by a later retry, which re-publishes the same event id (consumers dedupe).
   */
  async complete(workspaceId: WorkspaceId, handles: ClaimHandle[]): Promise<void> {
    await this.repository.complete(workspaceId, handles).catch((error: unknown) => {
      this.failures.warn({ err: error, keys: handles.length }, 'Could not mark idempotency keys completed');
    });
  }

  /** Best effort too: a claim that could not be released is taken over once abandoned, a little later. */
  async release(workspaceId: WorkspaceId, handles: ClaimHandle[]): Promise<void> {
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
    workspaceId: WorkspaceId,
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
