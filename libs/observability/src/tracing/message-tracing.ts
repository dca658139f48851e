import type { Logger } from '@nestjs/common';
import { formatTraceparent, parseTraceparent, TRACEPARENT_HEADER, type TraceContext } from './traceparent';

/** Kafka message headers, as kafkajs types them (produced and consumed alike). */
export type MessageHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

export function traceparentOf(headers: MessageHeaders | undefined): string | undefined {
  const value = headers?.[TRACEPARENT_HEADER];
  const first = Array.isArray(value) ? value[0] : value;
  return first?.toString();
}

/** The message as sent from inside `context`: with its traceparent, unless the caller set one already. */
export function withTraceHeader<M extends { value?: unknown; headers?: MessageHeaders }>(
  message: M,
  context: TraceContext | undefined,
): M {
  if (!context || message.headers?.[TRACEPARENT_HEADER] !== undefined) return message;
  return { ...message, headers: { ...message.headers, [TRACEPARENT_HEADER]: formatTraceparent(context) } };
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
  const trace = parseTraceparent(traceparentOf(headers));
  if (!trace) return;
  const entry = { traceId: trace.traceId, spanId: trace.parentSpanId, ...fields };
  if (trace.sampled) logger.log(entry, text);
  else logger.debug(entry, text);
}
