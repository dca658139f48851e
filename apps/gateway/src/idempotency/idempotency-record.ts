import type { CustomerEventMessage } from '@app/contracts';

export type IdempotencyStatus = 'in_flight' | 'completed';

/** An Idempotency-Key seen in the last 24 h, with the event it stands for. */
export interface IdempotencyRecord {
  key: string;
  requestHash: string;
  /** The event as published (or about to be): its id and times are the answer to every retry. */
  message: CustomerEventMessage;
  status: IdempotencyStatus;
  /** Bumped by each takeover; completing or releasing a claim checks it, so a stale owner cannot. */
  attempt: number;
  /** Released after a failed publish, or in flight for longer than the takeover delay (its owner died). */
  abandoned: boolean;
}

export interface IdempotencyClaim {
  key: string;
  requestHash: string;
  message: CustomerEventMessage;
}

/** Proof of owning a key: what complete() and release() need. */
export interface ClaimHandle {
  key: string;
  attempt: number;
}
