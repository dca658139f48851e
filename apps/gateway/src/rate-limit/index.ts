export { RateLimitModule } from './rate-limit.module';
export { RateLimitCost, RateLimitGuard, takeTokens } from './rate-limit.guard';
export { RateLimiter } from './rate-limiter.service';
