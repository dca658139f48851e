export interface RateLimitDecision {
  allowed: boolean;
  /** The bucket size: how many tokens (requests, or events of a batch) may be spent at once. */
  limit: number;
  /** Whole tokens left after this request. */
  remaining: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
  /** Seconds until enough tokens are back for this cost, when refused (0 when allowed). */
  retryAfterSeconds: number;
}

/**
 * A classic token bucket: `capacity` tokens, refilled continuously at `ratePerSecond`; a request takes `cost`
 * tokens (1 by default), all or none: a refused request takes nothing.
 */
export class TokenBucket {
  private tokens: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly capacity: number,
    private updatedAtMs: number,
  ) {
    this.tokens = capacity;
  }

  take(nowMs: number, cost = 1): RateLimitDecision {
    this.refill(nowMs);
    const allowed = this.tokens >= cost;
    if (allowed) this.tokens -= cost;
    // A cost above the capacity is never allowed; its Retry-After is the time until the bucket is full.
    const needed = Math.min(cost, this.capacity);
    return {
      allowed,
      limit: this.capacity,
      remaining: Math.floor(this.tokens),
      resetSeconds: Math.ceil((this.capacity - this.tokens) / this.ratePerSecond),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((needed - this.tokens) / this.ratePerSecond)),
    };
  }

  private refill(nowMs: number): void {
    const elapsedSeconds = Math.max(0, nowMs - this.updatedAtMs) / 1000;
    this.tokens = Math.min(this.capacity, this.tokens + elapsedSeconds * this.ratePerSecond);
    this.updatedAtMs = nowMs;
  }
}
