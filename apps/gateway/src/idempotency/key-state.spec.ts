import type { IdempotencyRecord } from './idempotency-record';
import { keyStateOf } from './key-state';

const record = (extra: Partial<IdempotencyRecord> = {}): IdempotencyRecord => ({
  key: 'k',
  requestHash: 'h',
  message: { id: 'cev_1' } as IdempotencyRecord['message'],
  status: 'completed',
  attempt: 1,
  abandoned: false,
  ...extra,
});

describe(keyStateOf.name, () => {
  it('calls a key nobody holds absent', () => {
    expect(keyStateOf(undefined, 'h')).toEqual({ kind: 'absent' });
  });

  it('calls a key held for another body reused, whatever its status', () => {
    expect(keyStateOf(record({ status: 'in_flight' }), 'other')).toEqual({ kind: 'reused' });
    expect(keyStateOf(record(), 'other')).toEqual({ kind: 'reused' });
  });

  it('answers a completed key with its stored event', () => {
    expect(keyStateOf(record(), 'h')).toEqual({ kind: 'completed', message: { id: 'cev_1' } });
  });

  it('tells a claim in flight from one abandoned by its owner', () => {
    expect(keyStateOf(record({ status: 'in_flight' }), 'h')).toEqual({ kind: 'in_flight' });
    expect(keyStateOf(record({ status: 'in_flight', abandoned: true }), 'h').kind).toBe('abandoned');
  });
});
