import type { Logger } from '@nestjs/common';
import { formatTraceparent, parseTraceparent, TRACEPARENT_HEADER, type TraceContext } from './traceparent';

/** Kafka message headers, as kafkajs types them (produced and consumed alike). */
export type MessageHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

export function traceparentOf(headers: MessageHeaders | undefined): string | undefined {
  const value = headers?.[TRACEPARENT_HEADER];
  const first = Array.isArray(value) ? value[0] : value;
  return first?.toString();
}

/**
 * The message as sent from inside `context` (or with `context` already formatted as a header, for many
 * messages of one trace): with its traceparent, unless the caller set one already.
 */
export function withTraceHeader<M extends { value?: unknown; headers?: MessageHeaders }>(
  message: M,
  context: TraceContext | string | undefined,
): M {
  if (!context || message.headers?.[TRACEPARENT_HEADER] !== undefined) return message;
  const header = typeof context === 'string' ? context : formatTraceparent(context);
  return { ...message, headers: { ...message.headers, [TRACEPARENT_HEADER]: header } };
}

/**
 * One log line for a message that carries a trace: `traceId`, and `spanId` the span of the hop that published
 * it. At info level when the trace is sampled (its caller asked for it to be recorded), else at debug, so a
 * busy pipeline does not log every message by default.
 */
export function logTracedMessage(
  logger: Logger,
  text: string,
  headers: MessageHeaders | undefined,
  fields: Record<string, unknown>,
): void {
  logTraced(logger, text, parseTraceparent(traceparentOf(headers)), fields);
}

/**
 * logTracedMessage for the messages of one batch: consecutive messages of one trace (a request's events) carry
 * the same header, which is parsed once for them.
 */
export function tracedMessageLog(
  logger: Logger,
  text: string,
): (headers: MessageHeaders | undefined, fields: Record<string, unknown>) => void {
  let lastHeader: string | undefined;
  let lastTrace: ReturnType<typeof parseTraceparent>;
  return (headers, fields) => {
    const header = traceparentOf(headers);
    if (header === undefined) return;
    if (header !== lastHeader) {
      lastHeader = header;
      lastTrace = parseTraceparent(header);
    }
    logTraced(logger, text, lastTrace, fields);
  };
}

function logTraced(
  logger: Logger,
  text: string,
  trace: ReturnType<typeof parseTraceparent>,
  fields: Record<string, unknown>,
): void {
  if (!trace) return;
  const entry = { traceId: trace.traceId, spanId: trace.parentSpanId, ...fields };
  if (trace.sampled) logger.log(entry, text);
  else logger.debug(entry, text);
}
