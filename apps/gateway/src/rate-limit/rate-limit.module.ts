import { Module } from '@nestjs/common';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimiter } from './rate-limiter.service';

/** Per-API-key token buckets (RATE_LIMIT_*): `@UseGuards(RateLimitGuard)` after ApiKeyGuard on a route. */
@Module({
  providers: [RateLimiter, RateLimitGuard],
  exports: [RateLimiter, RateLimitGuard],
})
export class RateLimitModule {}
