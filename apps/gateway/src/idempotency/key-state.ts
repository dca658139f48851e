import type { CustomerEventMessage } from '@app/contracts';
import type { IdempotencyRecord } from './idempotency-record';

/** Where a request with an Idempotency-Key stands, given what the table holds for that key. */
export type KeyState =
  | { kind: 'absent' }
  | { kind: 'reused' }
  | { kind: 'completed'; message: CustomerEventMessage }
  | { kind: 'in_flight' }
  | { kind: 'abandoned'; record: IdempotencyRecord };

export function keyStateOf(record: IdempotencyRecord | undefined, requestHash: string): KeyState {
  if (!record) return { kind: 'absent' };
  if (record.requestHash !== requestHash) return { kind: 'reused' };
  if (record.status === 'completed') return { kind: 'completed', message: record.message };
  return record.abandoned ? { kind: 'abandoned', record } : { kind: 'in_flight' };
}
