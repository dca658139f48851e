import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { APP_CONFIG, type GatewayEnv } from '@app/config';
import { type RateLimitDecision, TokenBucket } from './token-bucket';

/**
 * One token bucket per API key, in this process's memory: the limit is per replica (N replicas behind a
 * load balancer let a key through at up to N times the rate). Off when RATE_LIMIT_PER_SECOND is 0.
 */
@Injectable()
export class RateLimiter {
  private readonly buckets = new LRUCache<string, TokenBucket>({ max: 100_000 });
  private readonly ratePerSecond: number;
  private readonly burst: number;

  constructor(@Inject(APP_CONFIG) config: GatewayEnv) {
    this.ratePerSecond = config.RATE_LIMIT_PER_SECOND;
    this.burst = config.RATE_LIMIT_BURST || config.RATE_LIMIT_PER_SECOND;
  }

  get enabled(): boolean {
    return this.ratePerSecond > 0;
  }

  /** Takes `cost` tokens for this key (all or none); undefined when rate limiting is off. */
  take(apiKeyId: string, nowMs = Date.now(), cost = 1): RateLimitDecision | undefined {
    if (!this.enabled) return undefined;
    let bucket = this.buckets.get(apiKeyId);
    if (!bucket) {
      bucket = new TokenBucket(this.ratePerSecond, this.burst, nowMs);
      this.buckets.set(apiKeyId, bucket);
    }
    return bucket.take(nowMs, cost);
  }
}
