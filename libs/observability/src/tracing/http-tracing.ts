import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { holdTraceContext, runInTrace } from './trace-context';
import { continueTrace, TRACEPARENT_HEADER, type TraceContext } from './traceparent';

const requestTraces = new WeakMap<IncomingMessage, TraceContext>();
/** Each request's hold on the trace context (see holdTraceContext), released when its response closes. */
const requestHolds = new WeakMap<IncomingMessage, () => void>();

/** The trace a request is part of (for its request log line, written after the handler's context ended). */
export function traceOfRequest(raw: IncomingMessage): TraceContext | undefined {
  return requestTraces.get(raw);
}

/**
 * Every request joins the caller's trace (a valid `traceparent` header) or starts one. Its handler, and
 * everything the handler awaits, runs inside that trace: log lines carry its traceId and Kafka messages
 * published on its behalf carry a `traceparent` header.
 */
export function installHttpTracing(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    const header = request.headers[TRACEPARENT_HEADER];
    requestTraces.set(request.raw, continueTrace(typeof header === 'string' ? header : undefined));
    done();
  });
  // Entered here rather than at onRequest: reading the body runs on the socket's callbacks, which do not
  // carry an async context along, while the handler runs as a continuation of this hook. The context is held
  // until the response is closed (sent, or the connection gone): the handler's continuations read it.
  fastify.addHook('preHandler', (request, reply, done) => {
    const context = requestTraces.get(request.raw);
    if (!context || reply.raw.closed) return done();
    const release = holdTraceContext();
    requestHolds.set(request.raw, release);
    reply.raw.once('close', release);
    runInTrace(context, () => done());
  });
}

/**
 * For a response that stays open once its handler is done (a live stream): what it does from then on is not
 * the request's handling, and it need not keep the trace context on for the whole process until it closes.
 * Log lines written for it afterwards carry no traceId.
 */
export function releaseRequestTrace(raw: IncomingMessage): void {
  requestHolds.get(raw)?.();
  requestHolds.delete(raw);
}
