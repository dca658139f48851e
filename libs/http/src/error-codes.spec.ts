import { ERROR_CODES, httpStatusOf } from './error-codes';

describe(httpStatusOf.name, () => {
  it.each([
    ['VALIDATION_ERROR', 400],
    ['UNAUTHORIZED', 401],
    ['FORBIDDEN', 403],
    ['CUSTOMER_NOT_FOUND', 404],
    ['NOT_FOUND', 404],
    ['CONFLICT', 409],
    ['IDEMPOTENCY_KEY_REUSED', 422],
    ['REQUEST_TIMEOUT', 408],
    ['PAYLOAD_TOO_LARGE', 413],
    ['URI_TOO_LONG', 414],
    ['UNSUPPORTED_MEDIA_TYPE', 415],
    ['RATE_LIMITED', 429],
    ['HEADERS_TOO_LARGE', 431],
    ['SERVICE_UNAVAILABLE', 503],
    ['INTERNAL_ERROR', 500],
  ] as const)('maps %s to HTTP %i as the contract says', (code, status) => {
    expect(httpStatusOf(code)).toBe(status);
  });

  it('covers every error code', () => {
    expect(ERROR_CODES).toHaveLength(15);
  });
});
