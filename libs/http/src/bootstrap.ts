import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { CustomTransportStrategy } from '@nestjs/microservices';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { CommonEnv } from '@app/config';
import { histogram } from '@app/observability/metrics';
import { installHttpTracing } from '@app/observability/tracing';
import { AllExceptionsFilter } from './all-exceptions.filter';
import {
  envelopeClientError,
  envelopeFrameworkError,
  installDepthLimitedJsonParser,
  answerOversizedBodiesKeepingTheConnection,
  refuseContentEncoding,
} from './fastify-hardening';
import { boundRequestBytesInFlight } from './request-bytes-bound';
import { installSuccessEnvelope } from './success-envelope';
import { createValidationPipe } from './validation.pipe';

export const API_PREFIX = 'api/v1';
export const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpAppOptions {
  port: number;
  host?: string;
  shutdownTimeoutMs: number;
  /** Routes outside /api/v1 (health, metrics, pages). */
  unprefixed?: string[];
  configure?: (app: NestFastifyApplication) => void | Promise<void>;
  /** The server's timeouts (the common env schema's defaults when absent). */
  timeouts?: HttpTimeouts;
  /**
   * Providers that are `@nestjs/microservices` transport strategies (the app's Kafka consumer groups): each is
   * connected to the app (a hybrid app: HTTP and consumers in one process) and started before HTTP listens.
   * On shutdown Nest closes HTTP first, then these (the batch in hand finishes and is committed).
   */
  microservices?: Array<Type<CustomTransportStrategy>>;
  /** The bound on request body bytes held at once (beyond it: 503 with Retry-After); 0 or absent: none. */
  maxRequestBytesInFlight?: number;
}

export type HttpTimeouts = Pick<
  CommonEnv,
  'HTTP_HEADERS_TIMEOUT_MS' | 'HTTP_REQUEST_TIMEOUT_MS' | 'HTTP_KEEP_ALIVE_TIMEOUT_MS'
>;

const DEFAULT_TIMEOUTS: HttpTimeouts = {
  HTTP_HEADERS_TIMEOUT_MS: 10000,
  HTTP_REQUEST_TIMEOUT_MS: 30000,
  HTTP_KEEP_ALIVE_TIMEOUT_MS: 65000,
};

/**
 * Fastify's options: the 1 MiB body limit, Node's request timeouts (receiving a request only, so an SSE stream
 * is never cut) and the envelope for the errors Fastify and Node answer without reaching Nest.
 */
function fastifyOptions(timeouts: HttpTimeouts) {
  const requestTimeout = timeouts.HTTP_REQUEST_TIMEOUT_MS;
  const headersTimeout = Math.min(timeouts.HTTP_HEADERS_TIMEOUT_MS, requestTimeout);
  return {
    bodyLimit: MAX_BODY_BYTES,
    routerOptions: { maxParamLength: 1024 },
    requestTimeout,
    keepAliveTimeout: timeouts.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    // Node checks expired requests every connectionsCheckingInterval (30 s by default): often enough here.
    http: {
      requestTimeout,
      headersTimeout,
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersTimeout / 4))),
    },
    frameworkErrors: envelopeFrameworkError,
    clientErrorHandler: envelopeClientError,
  };
}

const httpSeconds = histogram('http_request_duration_seconds', 'HTTP request latency', [
  'method',
  'route',
  'status',
]);

/** One answered request in `http_request_duration_seconds` (`route`: the route's URL pattern). */
export function observeHttpRequest(method: string, route: string, status: number, seconds: number): void {
  httpSeconds.observe({ method, route, status: String(status) }, seconds);
}

/** Creates the Fastify-based Nest app with the project's envelope, errors, validation and metrics. */
export async function createHttpApp(
  module: Type | DynamicModule,
  options: Omit<HttpAppOptions, 'port' | 'shutdownTimeoutMs'>,
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter(fastifyOptions(options.timeouts ?? DEFAULT_TIMEOUTS));
  const fastify = adapter.getInstance();
  // First of the onRequest hooks: a request over the bound is refused before anything else reads it.
  boundRequestBytesInFlight(fastify, options.maxRequestBytesInFlight ?? 0, MAX_BODY_BYTES);
  // Only JSON bodies are accepted: without a text/plain parser Fastify answers 415 for it.
  fastify.removeContentTypeParser(['text/plain']);
  installDepthLimitedJsonParser(fastify);
  refuseContentEncoding(fastify);
  answerOversizedBodiesKeepingTheConnection(fastify, MAX_BODY_BYTES);
  fastify.addHook('onResponse', (request, reply, done) => {
    observeHttpRequest(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });
  installHttpTracing(fastify);
  installSuccessEnvelope(fastify);

  // bodyParser: false keeps Nest from adding its urlencoded parser: Fastify's own JSON parser is the only one.
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix(API_PREFIX, {
    exclude: ['health/live', 'health/ready', 'metrics', ...(options.unprefixed ?? [])],
  });
  app.useGlobalFilters(new AllExceptionsFilter());
  app.useGlobalPipes(createValidationPipe());
  await options.configure?.(app);
  return app;
}

/** Creates, listens and installs graceful shutdown: the way every app's main.ts starts. */
export async function startHttpApp(
  module: Type | DynamicModule,
  options: HttpAppOptions,
): Promise<NestFastifyApplication> {
  const app = await createHttpApp(module, options);
  for (const strategy of options.microservices ?? [])
    app.connectMicroservice({ strategy: app.get(strategy) });
  await app.startAllMicroservices();
  await app.listen(options.port, options.host ?? '0.0.0.0');
  installGracefulShutdown(app, options.shutdownTimeoutMs);
  return app;
}

/**
 * SIGTERM/SIGINT: stop taking requests, let in-flight ones and the batch in hand finish, leave the consumer
 * group, exit 0. Nest's own shutdown hooks re-raise the signal (exit 143), so signals are handled here.
 */
export function installGracefulShutdown(app: INestApplication, timeoutMs: number): void {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (closing) return;
    closing = true;
    const logger = app.get(Logger);
    logger.log({ signal }, 'Shutting down');
    setTimeout(() => {
      logger.error({ timeoutMs }, 'Graceful shutdown timed out');
      process.exit(1);
    }, timeoutMs).unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'Error during shutdown');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
