import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '@app/auth';
import { RateLimitedError } from '@app/http';
import { RateLimiter } from './rate-limiter.service';
import type { RateLimitDecision } from './token-bucket';

/** The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers), sent on every limited route. */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  return {
    'RateLimit-Limit': String(decision.limit),
    'RateLimit-Remaining': String(decision.remaining),
    'RateLimit-Reset': String(decision.resetSeconds),
  };
}

/** How many tokens a request costs, from its parsed (not yet validated) body; 1 when a route does not say. */
export const RateLimitCost = Reflector.createDecorator<(body: unknown) => number>();

/**
 * After ApiKeyGuard: a request takes its cost in tokens for its API key (one, or one per event of a batch), all
 * or none; 429 RATE_LIMITED with Retry-After when not enough are left, the whole request refused.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const { auth } = request;
    if (!auth) throw new Error('RateLimitGuard must run after ApiKeyGuard');
    const costOf = this.reflector.get(RateLimitCost, context.getHandler());
    const headers = takeTokens(this.limiter, auth.machineUserId, costOf ? costOf(request.body) : 1);
    if (headers) void http.getResponse<FastifyReply>().headers(headers);
    return true;
  }
}

/**
 * Takes a request's `cost` in tokens for its API key: the RateLimit headers to send (none when rate limiting
 * is off), or a RateLimitedError (429 with Retry-After) when not enough are left.
 */
export function takeTokens(
  limiter: RateLimiter,
  apiKeyId: string,
  cost: number,
): Record<string, string> | undefined {
  const decision = limiter.take(apiKeyId, Date.now(), cost);
  if (!decision) return undefined;
  const headers = rateLimitHeaders(decision);
  if (decision.allowed) return headers;
  const message =
    cost > decision.limit
      ? `This request costs ${cost} tokens, more than the burst of ${decision.limit}: send at most ${decision.limit} events per batch`
      : cost > 1
        ? `Rate limit exceeded: this batch costs ${cost} tokens and ${decision.remaining} are left; retry in ${decision.retryAfterSeconds}s`
        : undefined;
  throw new RateLimitedError(decision.retryAfterSeconds, headers, message);
}
