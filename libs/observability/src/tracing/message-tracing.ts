import type { Logger } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
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
  const headers =
    message.headers === undefined
      ? { [TRACEPARENT_HEADER]: header }
      : { ...message.headers, [TRACEPARENT_HEADER]: header };
  // Object.assign, not an object spread: once per published message, and V8's spread of the message measured
  // about ten times slower here (0.49 against 0.04 µs a message, Node 20).
  return Object.assign({}, message, { headers });
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
): (headers: MessageHeaders | undefined, fields: Fields | (() => Fields)) => void {
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

type Fields = Record<string, unknown>;

/**
 * Whether debug lines are written: the root logger's level (LOG_LEVEL). Before the logging module set one up
 * (and in unit tests), yes: nothing is dropped on a guess.
 */
function debugLinesWritten(): boolean {
  const root = PinoLogger.root as PinoLogger['logger'] | undefined;
  return root?.isLevelEnabled('debug') ?? true;
}

/**
 * The line, at info or debug. A debug line that the level drops is not built at all (nor its fields, when given
 * as a function): a busy pipeline sends every message of an unsampled trace through here.
 */
function logTraced(
  logger: Logger,
  text: string,
  trace: ReturnType<typeof parseTraceparent>,
  fields: Fields | (() => Fields),
): void {
  if (!trace || (!trace.sampled && !debugLinesWritten())) return;
  const entry = {
    traceId: trace.traceId,
    spanId: trace.parentSpanId,
    ...(typeof fields === 'function' ? fields() : fields),
  };
  if (trace.sampled) logger.log(entry, text);
  else logger.debug(entry, text);
}
