import type { ErrorCode } from './error-codes';

export interface ErrorDetail {
  field: string;
  message: string;
}

/** Domain code throws these; the exception filter turns them into the error envelope. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** Extra response headers (Retry-After, …). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  constructor(details: ErrorDetail[], message = 'The request is invalid') {
    super('VALIDATION_ERROR', message, details);
  }

  static field(field: string, message: string): ValidationError {
    return new ValidationError([{ field, message }], `${field}: ${message}`);
  }
}

export class UnauthorizedError extends DomainError {
  constructor(message = 'A valid X-API-Key header is required') {
    super('UNAUTHORIZED', message);
  }
}

export class UnsupportedMediaTypeError extends DomainError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super('UNSUPPORTED_MEDIA_TYPE', message, details);
  }
}

export class CustomerNotFoundError extends DomainError {
  constructor(externalId: string, field = 'customerExternalId') {
    super('CUSTOMER_NOT_FOUND', `No customer with externalId "${externalId}" in this workspace`, [
      { field, message: 'matches no customer of this workspace' },
    ]);
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} not found`);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super('CONFLICT', message, details);
  }
}

export class IdempotencyKeyReusedError extends DomainError {
  constructor() {
    super('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request body', [
      { field: 'Idempotency-Key', message: 'was used with a different body' },
    ]);
  }
}

export class PayloadTooLargeError extends DomainError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super('PAYLOAD_TOO_LARGE', message, details);
  }
}

export class RateLimitedError extends DomainError {
  constructor(
    retryAfterSeconds: number,
    headers: Record<string, string> = {},
    message = `Rate limit exceeded; retry in ${retryAfterSeconds}s`,
  ) {
    super('RATE_LIMITED', message, [], {
      ...headers,
      'Retry-After': String(retryAfterSeconds),
    });
  }
}

export class ServiceUnavailableError extends DomainError {
  constructor(message = 'A backing service is unavailable; nothing was accepted, retry later') {
    super('SERVICE_UNAVAILABLE', message, [], { 'Retry-After': '1' });
  }
}
