import type { ClassifiedAttempt } from '../delivery';
import type { SendResult } from '../net';
import { recordedResponseHeaders } from './attempt-record';
import { parseRetryAfter } from './retry-policy';

/** A 2xx within the timeout is a success; a redirect is not followed; 410 Gone means "stop for good". */
export function classifyAttempt(result: SendResult, now = Date.now()): ClassifiedAttempt {
  if (result.kind === 'error') {
    const outcome = result.timedOut ? 'timeout' : result.refused ? 'refused' : 'network_error';
    return {
      outcome,
      statusCode: null,
      error: result.error,
      responseBody: null,
      durationMs: result.durationMs,
    };
  }
  const { statusCode, headers, body, durationMs } = result;
  const base = {
    statusCode,
    responseBody: body,
    durationMs,
    responseHeaders: recordedResponseHeaders(headers),
  };
  if (statusCode >= 200 && statusCode < 300) return { ...base, outcome: 'success', error: null };
  if (statusCode >= 300 && statusCode < 400) {
    const location = headers.location ? ` to ${headers.location.slice(0, 500)}` : '';
    return { ...base, outcome: 'redirect', error: `redirect${location} not followed` };
  }
  if (statusCode === 410) return { ...base, outcome: 'gone', error: 'the receiver answered 410 Gone' };
  const retryAfterMs =
    statusCode === 429 || statusCode === 503 ? parseRetryAfter(headers['retry-after'], now) : undefined;
  return { ...base, outcome: 'http_error', error: `HTTP ${statusCode}`, retryAfterMs };
}
