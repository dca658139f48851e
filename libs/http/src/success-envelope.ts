import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { successEnvelope } from './envelope';

interface EnvelopeRouteConfig {
  rawResponse?: boolean;
}

/** Marks a handler whose return value is sent as is (metrics text, a probe's own format). */
export const RawResponse = (): MethodDecorator =>
  RouteConfig({ rawResponse: true } satisfies EnvelopeRouteConfig);

/**
 * Wraps every successful JSON answer in `{ success: true, data, timestamp }`, as Fastify serialises it: one hook
 * call per answer instead of an interceptor (an rxjs pipe) around every handler. Errors (status ≥ 400) already
 * leave as the error envelope; text, buffers, streams and empty answers are not serialised, so not wrapped.
 */
export function installSuccessEnvelope(fastify: FastifyInstance): void {
  fastify.addHook('preSerialization', (request, reply, payload, done) => {
    const config = request.routeOptions.config as EnvelopeRouteConfig | undefined;
    if (reply.statusCode >= 400 || config?.rawResponse) return done(null, payload);
    done(null, successEnvelope(payload));
  });
}
