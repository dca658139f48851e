export { IdempotencyModule } from './idempotency.module';
export type { IdempotencyRecord } from './idempotency-record';
export { IDEMPOTENCY_KEY_HEADER, IdempotencyKey, isIdempotencyKey } from './idempotency-key.pipe';
export { IdempotencyService, type ToPublish } from './idempotency.service';
export { planKeys } from './key-plan';
export type { KeyState } from './key-state';
export { requestHash } from './request-hash';
