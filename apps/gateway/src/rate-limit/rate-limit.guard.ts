import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
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

/** After ApiKeyGuard: one token per request and API key, 429 RATE_LIMITED with Retry-After when none is left. */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(private readonly limiter: RateLimiter) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const { auth } = http.getRequest<AuthenticatedRequest>();
    if (!auth) throw new Error('RateLimitGuard must run after ApiKeyGuard');
    const decision = this.limiter.take(auth.machineUserId);
    if (!decision) return true;
    const headers = rateLimitHeaders(decision);
    void http.getResponse<FastifyReply>().headers(headers);
    if (!decision.allowed) throw new RateLimitedError(decision.retryAfterSeconds, headers);
    return true;
  }
}
