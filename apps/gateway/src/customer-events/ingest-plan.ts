import { ConflictError, IdempotencyKeyReusedError } from '@app/http';
import { type IdempotencyRecord, type KeyState, planKeys, requestHash } from '../idempotency';
import { toCustomerEventResponse } from './dto/customer-event.response';
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

/** What one round does with each item, given the Idempotency-Keys already in the table (see `planKeys`). */
export interface RoundPlan {
  fresh: Item[];
  takeovers: Array<{ item: KeyedItem; record: IdempotencyRecord }>;
  waiting: KeyedItem[];
  /** Answered already, with what the client sees: replays of completed keys, keys reused with another body. */
  settled: Array<{ item: Item; outcome: IngestOutcome }>;
}

export function planRound(items: Item[], records: Map<string, IdempotencyRecord>): RoundPlan {
  const plan = planKeys(items, records);
  return {
    ...plan,
    settled: plan.settled.map(({ item, state }) => ({ item, outcome: settledOutcome(state) })),
  };
}

/** What a request answers once its key is settled, or once it gave up waiting. */
export function settledOutcome(state: KeyState): IngestOutcome {
  switch (state.kind) {
    case 'completed':
      return accepted(toCustomerEventResponse(state.message));
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
