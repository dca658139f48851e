import { Injectable } from '@nestjs/common';
import { HTTP_CODE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { PassThrough } from 'node:stream';
import type { FastifyInstance, preParsingHookHandler } from 'fastify';
import { type AuthContext, ApiKeysService } from '@app/auth';
import {
  API_PREFIX,
  errorResponseOf,
  MAX_BODY_BYTES,
  observeHttpRequest,
  parsePlainJson,
  type RequestBytesBound,
  requestBytesBoundOf,
  successEnvelope,
} from '@app/http';
import { counter } from '@app/observability/metrics';
import { continueTrace, runInTrace, TRACEPARENT_HEADER, type TraceContext } from '@app/observability/tracing';
import { isIdempotencyKey } from '../idempotency';
import { RateLimiter, takeTokens } from '../rate-limit';
import { CustomerEventsController } from './customer-events.controller';
import { CustomerEventsService } from './customer-events.service';
import { acceptedBatchItems, isAcceptedEvent } from './ingest-body';

const direct = counter(
  'gateway_ingest_direct_requests_total',
  'Ingest requests answered on the direct path (known key, body valid as sent), by route',
  ['route'],
);

/**
 * A method of CustomerEventsController as its decorators declare it: its full URL (the global prefix, the
 * controller's path, its own) and its success status, so the hooks follow the controller if either changes.
 */
export function routeOf(method: keyof CustomerEventsController): { url: string; status: number } {
  const handler = Reflect.get(CustomerEventsController.prototype, method) as object;
  const paths = [API_PREFIX, pathOf(CustomerEventsController), pathOf(handler)];
  const url = `/${paths
    .flatMap((path) => path.split('/'))
    .filter((part) => part !== '')
    .join('/')}`;
  return { url, status: Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number };
}

const pathOf = (target: object): string => String(Reflect.getMetadata(PATH_METADATA, target) ?? '');

interface DirectRoute {
  name: 'single' | 'batch';
  url: string;
  status: number;
}

/** The content types the app's JSON parser takes that the direct path reads too (anything else: Fastify). */
const JSON_CONTENT_TYPES: ReadonlySet<string> = new Set([
  'application/json',
  'application/json; charset=utf-8',
  'application/json;charset=utf-8',
]);

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/**
 * The ingest routes' direct path. Most requests of a high-volume producer are alike: a key verified moments
 * ago, a plain JSON body that is valid as sent. Such a request is taken from the HTTP server before Fastify
 * routes it: its body read, parsed and checked here, the event ingested by the controller's own service, the
 * answer written in the same envelope with the same status and headers. It skips the framework's per-request
 * machinery (routing, hooks, Nest's guards and pipes, class instances for the body), which would come to the
 * same verdict. Anything else (a key not verified in the last seconds, a body that is not plain JSON or that the
 * checks of ./ingest-body do not pass, a malformed Idempotency-Key, request logging on, the app closing) goes to
 * Fastify and the controller, whose guards and pipes give the answer and name the field: every refusal of a
 * request's content comes from the one place it always did. A body already read is handed over as it came.
 * The two paths share the service, the rate limiter, the bound on request bytes in flight, the trace context,
 * the errors' envelope and the request metrics.
 */
@Injectable()
export class IngestFastPath {
  private readonly routes = new Map<string, DirectRoute>();
  /** Bodies read here and then handed to Fastify, replayed to its parser by the routes' preParsing hook. */
  private readonly handedOver = new WeakMap<IncomingMessage, Buffer>();
  private bound: RequestBytesBound | undefined;
  private closing = false;

  constructor(
    private readonly apiKeys: ApiKeysService,
    private readonly limiter: RateLimiter,
    private readonly events: CustomerEventsService,
  ) {
    for (const [name, method] of [
      ['single', 'create'],
      ['batch', 'createBatch'],
    ] as const) {
      const route = routeOf(method);
      this.routes.set(route.url, { name, ...route });
    }
  }

  /**
   * Before the app's routes are registered (Fastify sets a route's hooks when it is added) and before it
   * listens. With request logging on, every request goes through Fastify, which writes the log line.
   */
  install(fastify: FastifyInstance, options: { logHttpRequests: boolean }): void {
    if (options.logHttpRequests) return;
    this.bound = requestBytesBoundOf(fastify);
    fastify.addHook('onRoute', (route) => {
      if (route.method !== 'POST' || !this.routes.has(route.url)) return;
      const own = route.preParsing ?? [];
      route.preParsing = [...(Array.isArray(own) ? own : [own]), this.replayHandedOver()];
    });
    fastify.addHook('preClose', (done) => {
      this.closing = true;
      done();
    });
    const server = fastify.server;
    const listeners = server.listeners('request') as RequestListener[];
    if (listeners.length !== 1)
      throw new Error(`expected Fastify's one request listener, found ${listeners.length}`);
    const [viaFastify] = listeners;
    server.removeListener('request', viaFastify);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      const taken = this.take(request, response, viaFastify);
      if (!taken) viaFastify(request, response);
    });
  }

  /** Whether the request is read here (it may still be handed to Fastify once its body is read). */
  private take(request: IncomingMessage, response: ServerResponse, viaFastify: RequestListener): boolean {
    if (this.closing || request.method !== 'POST') return false;
    const route = this.routes.get(request.url ?? '');
    if (!route) return false;
    const { headers } = request;
    const length = Number(headers['content-length']);
    if (
      !(length > 0 && length <= MAX_BODY_BYTES) ||
      headers['transfer-encoding'] !== undefined ||
      headers['content-encoding'] !== undefined ||
      !JSON_CONTENT_TYPES.has(headers['content-type'] ?? '')
    )
      return false;
    const apiKey = headers['x-api-key'];
    const auth = typeof apiKey === 'string' ? this.apiKeys.verifiedRecently(apiKey) : undefined;
    if (!auth) return false;
    const idempotencyKey = headers['idempotency-key'];
    if (route.name === 'single' && idempotencyKey !== undefined && !isIdempotencyKey(idempotencyKey))
      return false;
    if (this.bound && !this.bound.tryHold(length)) return false;
    const started = performance.now();
    let held = this.bound !== undefined;
    const release = () => {
      if (held) this.bound?.release(length);
      held = false;
    };
    response.once('close', release);

    let chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.once('end', () => {
      // Nothing that outlives this callback holds the body's bytes: a large batch being published keeps only
      // its parsed items (the listener's chunks are dropped, the text and the buffer are locals).
      const raw = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      chunks = [];
      const body = parsePlainJson(raw.toString('utf8'));
      if (route.name === 'single') {
        if (body === undefined || !isAcceptedEvent(body))
          return this.handOver(request, response, raw, release, viaFastify);
        const key = idempotencyKey as string | undefined;
        this.answer(request, response, route, started, auth, 1, (trace) =>
          this.events.ingest(auth, body, key, trace),
        );
      } else {
        const items = body === undefined ? undefined : acceptedBatchItems(body);
        if (!items) return this.handOver(request, response, raw, release, viaFastify);
        this.answer(request, response, route, started, auth, items.length, (trace) =>
          this.events.ingestBatchItems(
            auth,
            items.map((item) => ({ item })),
            trace,
          ),
        );
      }
    });
    return true;
  }

  /** To Fastify, with the body read here kept for its parser (`replayHandedOver`) and the bytes held by its hook. */
  private handOver(
    request: IncomingMessage,
    response: ServerResponse,
    raw: Buffer,
    release: () => void,
    viaFastify: RequestListener,
  ): void {
    release();
    response.removeListener('close', release);
    this.handedOver.set(request, raw);
    viaFastify(request, response);
  }

  /** The route's preParsing hook: a body read by the direct path and handed over is read again from memory. */
  private replayHandedOver(): preParsingHookHandler {
    return (request, _reply, payload, done) => {
      const raw = this.handedOver.get(request.raw);
      if (raw === undefined) return done(null, payload);
      this.handedOver.delete(request.raw);
      const replay = new PassThrough();
      replay.end(raw);
      done(null, replay);
    };
  }

  /**
   * The rate limit (as RateLimitGuard takes it: one token per event), then the service's answer. The request's
   * trace is handed to the service, which publishes on its behalf; it does not hold the async context (see
   * `holdTraceContext`), except while an error is answered, whose log line then names the trace.
   */
  private answer(
    request: IncomingMessage,
    response: ServerResponse,
    route: DirectRoute,
    started: number,
    auth: AuthContext,
    cost: number,
    ingest: (trace: TraceContext) => Promise<unknown>,
  ): void {
    direct.inc({ route: route.name });
    const send = (status: number, headers: Record<string, string>, body: unknown) => {
      const text = JSON.stringify(body);
      response.writeHead(status, { ...headers, ...JSON_HEADERS, 'content-length': Buffer.byteLength(text) });
      response.end(text);
      observeHttpRequest('POST', route.url, status, (performance.now() - started) / 1000);
    };
    const header = request.headers[TRACEPARENT_HEADER];
    const trace = continueTrace(typeof header === 'string' ? header : undefined);
    const sendError = (error: unknown) =>
      runInTrace(trace, () => {
        const answer = errorResponseOf(error);
        send(answer.status, lowerCased(answer.headers), answer.body);
      });
    let limitHeaders: Record<string, string> | undefined;
    try {
      limitHeaders = takeTokens(this.limiter, auth.machineUserId, cost);
    } catch (error) {
      return sendError(error);
    }
    ingest(trace).then(
      (data) => send(route.status, limitHeaders ? lowerCased(limitHeaders) : {}, successEnvelope(data)),
      sendError,
    );
  }
}

/** Header names as Fastify writes them (it lowercases every name it is given). */
function lowerCased(headers: Record<string, string>): Record<string, string> {
  const lower: Record<string, string> = {};
  for (const name in headers) lower[name.toLowerCase()] = headers[name];
  return lower;
}
