import { randomHex } from '@app/contracts';

/** The W3C Trace Context header that carries a trace across HTTP requests and Kafka messages. */
export const TRACEPARENT_HEADER = 'traceparent';

/** One hop of a trace in this process: a request handled, a message published or consumed. */
export interface TraceContext {
  traceId: string;
  /** This hop's own span: what a message published from here names as its parent. */
  spanId: string;
  /** The caller's span, when the trace came from outside. */
  parentSpanId?: string;
  /** trace-flags bit 0: the caller records this trace, so every hop logs it at info level. */
  sampled: boolean;
}

interface ParsedTraceparent {
  traceId: string;
  parentSpanId: string;
  sampled: boolean;
}

const VERSION_00 = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
// A later version may append fields; its first four keep their meaning (W3C Trace Context, §3.2.4).
const LATER_VERSION = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZEROS = /^0+$/;

/** Reads a traceparent header; anything malformed is ignored (undefined), as the specification asks. */
export function parseTraceparent(header: string | undefined): ParsedTraceparent | undefined {
  if (typeof header !== 'string' || header.length > 512) return undefined;
  const value = header.trim();
  let parts = VERSION_00.exec(value)?.slice(1);
  if (!parts) {
    const later = LATER_VERSION.exec(value);
    if (!later || later[1] === '00' || later[1] === 'ff') return undefined;
    parts = later.slice(2, 5);
  }
  const [traceId, parentSpanId, flags] = parts;
  if (ZEROS.test(traceId) || ZEROS.test(parentSpanId)) return undefined;
  return { traceId, parentSpanId, sampled: (parseInt(flags, 16) & 1) === 1 };
}

/** Random, and never all zeros (an invalid id). From the process's pool: one OS call per request showed. */
function nonZeroHex(bytes: number): string {
  for (;;) {
    const hex = randomHex(bytes);
    if (!ZEROS.test(hex)) return hex;
  }
}

export function newSpanId(): string {
  return nonZeroHex(8);
}

/**
 * The hop that handles a request or a message: a child span of the caller's trace when it sent a valid
 * traceparent, else the root of a new trace. A new trace is not sampled: the pipeline stays quiet at info
 * level unless a caller asks for a trace to be recorded.
 */
export function continueTrace(header: string | undefined): TraceContext {
  const parent = parseTraceparent(header);
  if (!parent) return { traceId: nonZeroHex(16), spanId: newSpanId(), sampled: false };
  return { ...parent, spanId: newSpanId() };
}

/** The header a message or request sent from this hop carries: this hop's span is the next one's parent. */
export function formatTraceparent(context: TraceContext): string {
  return `00-${context.traceId}-${context.spanId}-${context.sampled ? '01' : '00'}`;
}
