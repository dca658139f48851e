import { classifyAttempt } from './attempt-outcome';

const response = (statusCode: number, headers: Record<string, string> = {}) =>
  ({ kind: 'response', statusCode, headers, body: 'b', durationMs: 5 }) as const;

describe(classifyAttempt.name, () => {
  it.each([200, 201, 204, 299])('counts %s as a success', (status) => {
    expect(classifyAttempt(response(status))).toMatchObject({ outcome: 'success', error: null });
  });

  it('counts a redirect as a failure and says where it pointed', () => {
    expect(classifyAttempt(response(302, { location: 'http://127.0.0.2/elsewhere' }))).toMatchObject({
      outcome: 'redirect',
      error: 'redirect to http://127.0.0.2/elsewhere not followed',
    });
  });

  it('tells 410 Gone apart from other failures', () => {
    expect(classifyAttempt(response(410)).outcome).toBe('gone');
    expect(classifyAttempt(response(404)).outcome).toBe('http_error');
  });

  it('reads Retry-After on 429 and 503 only', () => {
    expect(classifyAttempt(response(429, { 'retry-after': '7' })).retryAfterMs).toBe(7000);
    expect(classifyAttempt(response(503, { 'retry-after': '7' })).retryAfterMs).toBe(7000);
    expect(classifyAttempt(response(500, { 'retry-after': '7' })).retryAfterMs).toBeUndefined();
  });

  it('keeps network failures apart from timeouts and refused destinations', () => {
    const error = { kind: 'error', error: 'x', durationMs: 1 } as const;
    expect(classifyAttempt({ ...error, timedOut: true, refused: false }).outcome).toBe('timeout');
    expect(classifyAttempt({ ...error, timedOut: false, refused: true }).outcome).toBe('refused');
    expect(classifyAttempt({ ...error, timedOut: false, refused: false }).outcome).toBe('network_error');
  });
});
