import { Injectable } from '@nestjs/common';
import { HTTP_CODE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { type AuthContext, ApiKeysService } from '@app/auth';
import { API_PREFIX, sendError } from '@app/http';
import { counter } from '@app/observability/metrics';
import { isIdempotencyKey } from '../idempotency';
import { RateLimiter, takeTokens } from '../rate-limit';
import { CustomerEventsController } from './customer-events.controller';
import { CustomerEventsService } from './customer-events.service';
import { acceptedBatchItems, isAcceptedEvent } from './ingest-body';

const direct = counter(
  'gateway_ingest_direct_requests_total',
  'Ingest requests answered straight from the route hook (known key, body valid as sent), by route',
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

/**
 * The ingest routes' direct path. Most requests of a high-volume producer are alike: a key verified moments
 * ago, a body that is valid as sent. Such a request is answered from a Fastify `preHandler` hook of the
 * controller's own route, with the controller's service, and skips Nest's per-request pipeline (guards, pipes,
 * class instances for the body) that would come to the same verdict. Anything else (a key not verified in
 * the last seconds, a body the checks of ./ingest-body do not pass, a malformed Idempotency-Key) goes on to
 * the controller, whose guards and pipes give the answer and name the field: every refusal of a request comes
 * from the one place it always did. What the two paths share is the service, the rate limiter and the errors'
 * envelope, so an accepted event is answered the same either way.
 */
@Injectable()
export class IngestFastPath {
  constructor(
    private readonly apiKeys: ApiKeysService,
    private readonly limiter: RateLimiter,
    private readonly events: CustomerEventsService,
  ) {}

  /** Before the app's routes are registered (Fastify sets a route's hooks when it is added). */
  install(fastify: FastifyInstance): void {
    const single = routeOf('create');
    const batch = routeOf('createBatch');
    const hooks = new Map<string, preHandlerHookHandler>([
      [single.url, this.single(single.status)],
      [batch.url, this.batch(batch.status)],
    ]);
    fastify.addHook('onRoute', (route) => {
      const hook = route.method === 'POST' ? hooks.get(route.url) : undefined;
      if (!hook) return;
      const own = route.preHandler ?? [];
      route.preHandler = [...(Array.isArray(own) ? own : [own]), hook];
    });
  }

  private single(status: number): preHandlerHookHandler {
    return (request, reply, done) => {
      const auth = this.recentlyVerified(request);
      const idempotencyKey = request.headers['idempotency-key'];
      const { body } = request;
      if (
        !auth ||
        (idempotencyKey !== undefined && !isIdempotencyKey(idempotencyKey)) ||
        !isAcceptedEvent(body)
      )
        return done();
      this.answer(reply, 'single', status, auth, 1, () => this.events.ingest(auth, body, idempotencyKey));
    };
  }

  private batch(status: number): preHandlerHookHandler {
    return (request, reply, done) => {
      const auth = this.recentlyVerified(request);
      const items = auth && acceptedBatchItems(request.body);
      if (!auth || !items) return done();
      this.answer(reply, 'batch', status, auth, items.length, () =>
        this.events.ingestBatchItems(
          auth,
          items.map((item) => ({ item })),
        ),
      );
    };
  }

  private recentlyVerified(request: FastifyRequest): AuthContext | undefined {
    const apiKey = request.headers['x-api-key'];
    return typeof apiKey === 'string' ? this.apiKeys.verifiedRecently(apiKey) : undefined;
  }

  /** The rate limit (as RateLimitGuard takes it: one token per event), then the service's answer. */
  private answer(
    reply: FastifyReply,
    route: 'single' | 'batch',
    status: number,
    auth: AuthContext,
    cost: number,
    ingest: () => Promise<unknown>,
  ): void {
    direct.inc({ route });
    try {
      const headers = takeTokens(this.limiter, auth.machineUserId, cost);
      if (headers) void reply.headers(headers);
    } catch (error) {
      return sendError(reply, error);
    }
    ingest().then(
      (answer) => void reply.code(status).send(answer),
      (error: unknown) => sendError(reply, error),
    );
  }
}
