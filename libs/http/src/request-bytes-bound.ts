import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Gauge } from 'prom-client';
import { counter, metricsRegistry } from '@app/observability/metrics';
import { ServiceUnavailableError } from './domain-errors';

const refused = counter(
  'http_requests_refused_bytes_in_flight_total',
  'Requests answered 503 because the request bytes in flight were at their bound',
);

/** Each bounded app's count, read when the metrics are scraped: nothing is set per request. */
const inFlightReaders = new Set<() => number>();
const GAUGE = 'http_request_bytes_in_flight';
if (!metricsRegistry.getSingleMetric(GAUGE)) {
  new Gauge({
    name: GAUGE,
    help: 'Request body bytes being received or handled (declared Content-Length)',
    collect() {
      let sum = 0;
      for (const read of inFlightReaders) sum += read();
      this.set(sum);
    },
  });
}

/** The bound of one app: what its Fastify hooks hold per request, open to a path that reads bodies itself. */
export interface RequestBytesBound {
  /** Holds `bytes` unless that would pass the bound (one request is always let through); false: nothing held. */
  tryHold(bytes: number): boolean;
  release(bytes: number): void;
}

const bounds = new WeakMap<FastifyInstance, RequestBytesBound>();

/** The bound installed on this Fastify instance, if any (`boundRequestBytesInFlight`). */
export function requestBytesBoundOf(fastify: FastifyInstance): RequestBytesBound | undefined {
  return bounds.get(fastify);
}

/**
 * Bounds the request bytes an app holds at once, so a burst of large bodies is answered `503` with
 * `Retry-After` instead of growing the heap until the process dies. A request counts for its declared
 * `Content-Length` (a chunked body for `bodyLimit`, what it may grow to) from the moment its headers arrive,
 * before its body is read, until its response is sent or it is aborted. One request is always let through, so a
 * bound below `bodyLimit` never refuses everything.
 */
export function boundRequestBytesInFlight(
  fastify: FastifyInstance,
  maxBytes: number,
  bodyLimit: number,
): void {
  if (maxBytes <= 0) return;
  let inFlight = 0;
  const bound: RequestBytesBound = {
    tryHold(bytes) {
      if (inFlight > 0 && inFlight + bytes > maxBytes) return false;
      inFlight += bytes;
      return true;
    },
    release(bytes) {
      inFlight -= bytes;
    },
  };
  bounds.set(fastify, bound);
  const held = new WeakMap<FastifyRequest, number>();
  const release = (request: FastifyRequest) => {
    const bytes = held.get(request);
    if (bytes === undefined) return;
    held.delete(request);
    bound.release(bytes);
  };
  const read = () => inFlight;
  inFlightReaders.add(read);
  fastify.addHook('onClose', (_instance, done) => {
    inFlightReaders.delete(read);
    done();
  });

  fastify.addHook('onRequest', (request, _reply, done) => {
    const chunked = request.headers['transfer-encoding'] !== undefined;
    const declared = Number(request.headers['content-length'] ?? 0);
    const bytes = chunked
      ? bodyLimit
      : Number.isFinite(declared)
        ? Math.min(Math.max(declared, 0), bodyLimit)
        : 0;
    if (bytes === 0) return done();
    if (!bound.tryHold(bytes)) {
      refused.inc();
      return done(
        new ServiceUnavailableError(
          'The gateway is receiving as many request bytes as it may hold; nothing was accepted, retry shortly',
        ),
      );
    }
    held.set(request, bytes);
    done();
  });
  fastify.addHook('onResponse', (request, _reply, done) => {
    release(request);
    done();
  });
  fastify.addHook('onRequestAbort', (request, done) => {
    release(request);
    done();
  });
}
