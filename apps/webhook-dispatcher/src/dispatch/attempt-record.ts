import { formatTraceparent, newSpanId, parseTraceparent } from '@app/observability/tracing';
import type { SentRequest } from '../delivery';

/** Request bodies are kept up to this size (a customer webhook is about 2 KiB). */
export const REQUEST_BODY_LIMIT_BYTES = 64 * 1024;
const RESPONSE_HEADERS_LIMIT = 50;
const RESPONSE_HEADER_VALUE_LIMIT = 1000;
const SIGNATURE_HEADERS = new Set([
  'plain-request-signature',
  'plain-request-signature-previous',
  'webhook-signature',
]);
export const MASKED = '[masked]';

function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  // A cut inside a multi-byte character decodes to U+FFFD, which is dropped.
  return bytes
    .subarray(0, maxBytes)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
}

/** Signatures are secrets' output: anyone reading the log could replay them, so they are not kept. */
export function recordedRequest(headers: Record<string, string>, body: string): SentRequest {
  const masked = Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      SIGNATURE_HEADERS.has(name.toLowerCase()) ? MASKED : value,
    ]),
  );
  return { headers: masked, body: truncateUtf8(body, REQUEST_BODY_LIMIT_BYTES) };
}

/** The receiver's headers, bounded in number and length (a hostile receiver could send megabytes). */
export function recordedResponseHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers)
      .slice(0, RESPONSE_HEADERS_LIMIT)
      .map(([name, value]) => [name.slice(0, 200), value.slice(0, RESPONSE_HEADER_VALUE_LIMIT)]),
  );
}

/**
 * The `traceparent` an attempt sends: the change's trace, with a span of the attempt's own (the stored
 * header's span is the hop that published the change). None when the change came without a trace.
 */
export function attemptTraceparent(changeTraceparent: string | null): string | undefined {
  const parent = parseTraceparent(changeTraceparent ?? undefined);
  if (!parent) return undefined;
  return formatTraceparent({ traceId: parent.traceId, spanId: newSpanId(), sampled: parent.sampled });
}
