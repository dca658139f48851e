import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { holdTraceContext, runInTrace } from './trace-context';
import { continueTrace, TRACEPARENT_HEADER, type TraceContext } from './traceparent';

const requestTraces = new WeakMap<IncomingMessage, TraceContext>();

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
    reply.raw.once('close', holdTraceContext());
    runInTrace(context, () => done());
  });
}
