import { ConflictError, IdempotencyKeyReusedError } from '@app/http';
import type { IdempotencyRecord } from '../idempotency/idempotency-record';
import { type KeyState, keyStateOf } from '../idempotency/key-state';
import { requestHash } from '../idempotency/request-hash';
import { toCustomerEventView } from './customer-event.view';
import { accepted, type IngestOutcome, type IngestRequest, refused } from './ingest-outcome';

/** A request being ingested, with its position in the answer and, when keyed, its body's hash. */
export interface Item {
  index: number;
  request: IngestRequest;
  key?: string;
  hash?: string;
}
export type KeyedItem = Item & { key: string; hash: string };

export function toItem(request: IngestRequest, index: number): Item {
  const key = request.idempotencyKey;
  return { index, request, key, hash: key === undefined ? undefined : requestHash(request.dto) };
}

/** What one round does with each item, given the Idempotency-Keys already in the table. */
export interface RoundPlan {
  /** To look up, build and publish (claiming the key first, when there is one). */
  fresh: Item[];
  /** Keys abandoned by a dead owner: to take over and publish again as stored. */
  takeovers: Array<{ item: KeyedItem; record: IdempotencyRecord }>;
  /** Keys another request holds: to wait on. */
  waiting: KeyedItem[];
  /** Answered already: replays of completed keys, keys reused with another body. */
  settled: Array<{ item: Item; outcome: IngestOutcome }>;
}

export function planRound(items: Item[], records: Map<string, IdempotencyRecord>): RoundPlan {
  const plan: RoundPlan = { fresh: [], takeovers: [], waiting: [], settled: [] };
  // Within one batch, the first item acting on a key leads; the others follow it like any later request.
  const leaders = new Map<string, KeyedItem>();
  for (const item of items) {
    if (item.key === undefined) {
      plan.fresh.push(item);
      continue;
    }
    const keyed = item as KeyedItem;
    const leader = leaders.get(keyed.key);
    if (leader) {
      if (leader.hash === keyed.hash) plan.waiting.push(keyed);
      else plan.settled.push({ item, outcome: refused(new IdempotencyKeyReusedError()) });
      continue;
    }
    const state = keyStateOf(records.get(keyed.key), keyed.hash);
    if (state.kind === 'absent' || state.kind === 'abandoned') leaders.set(keyed.key, keyed);
    if (state.kind === 'absent') plan.fresh.push(item);
    else if (state.kind === 'abandoned') plan.takeovers.push({ item: keyed, record: state.record });
    else if (state.kind === 'in_flight') plan.waiting.push(keyed);
    else plan.settled.push({ item, outcome: settledOutcome(state) });
  }
  return plan;
}

/** What a request answers once its key is settled, or once it gave up waiting. */
export function settledOutcome(state: KeyState): IngestOutcome {
  switch (state.kind) {
    case 'completed':
      return accepted(toCustomerEventView(state.message));
    case 'reused':
      return refused(new IdempotencyKeyReusedError());
    case 'in_flight':
    case 'absent':
    case 'abandoned':
      return refused(
        new ConflictError('A request with this Idempotency-Key is still in flight; retry later', [
          { field: 'Idempotency-Key', message: 'is used by a request still in flight' },
        ]),
      );
  }
}
