import type { IdempotencyRecord } from './idempotency-record';
import { type KeyState, keyStateOf } from './key-state';

/** A request as idempotency sees it: its position in the answer and, when keyed, its key and body hash. */
export interface KeyedWork {
  index: number;
  key?: string;
  hash?: string;
}
export type Keyed<I extends KeyedWork> = I & { key: string; hash: string };

/** What one round does with each request, given the Idempotency-Keys already in the table. */
export interface KeyPlan<I extends KeyedWork> {
  /** To build and publish (claiming the key first, when there is one). */
  fresh: I[];
  /** Keys abandoned by a dead owner: to take over and publish again as stored. */
  takeovers: Array<{ item: Keyed<I>; record: IdempotencyRecord }>;
  /** Keys another request holds: to wait on. */
  waiting: Array<Keyed<I>>;
  /** Answered by their key already: replays of completed keys, keys reused with another body. */
  settled: Array<{ item: I; state: KeyState }>;
}

export function planKeys<I extends KeyedWork>(
  items: I[],
  records: Map<string, IdempotencyRecord>,
): KeyPlan<I> {
  const plan: KeyPlan<I> = { fresh: [], takeovers: [], waiting: [], settled: [] };
  // Within one batch, the first item acting on a key leads; the others follow it like any later request.
  const leaders = new Map<string, Keyed<I>>();
  for (const item of items) {
    if (item.key === undefined) {
      plan.fresh.push(item);
      continue;
    }
    const keyed = item as Keyed<I>;
    const leader = leaders.get(keyed.key);
    if (leader) {
      if (leader.hash === keyed.hash) plan.waiting.push(keyed);
      else plan.settled.push({ item, state: { kind: 'reused' } });
      continue;
    }
    const state = keyStateOf(records.get(keyed.key), keyed.hash);
    if (state.kind === 'absent' || state.kind === 'abandoned') leaders.set(keyed.key, keyed);
    if (state.kind === 'absent') plan.fresh.push(item);
    else if (state.kind === 'abandoned') plan.takeovers.push({ item: keyed, record: state.record });
    else if (state.kind === 'in_flight') plan.waiting.push(keyed);
    else plan.settled.push({ item, state });
  }
  return plan;
}
