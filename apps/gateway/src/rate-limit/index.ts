export { RateLimitModule } from './rate-limit.module';
export { RateLimitCost, RateLimitGuard } from './rate-limit.guard';
