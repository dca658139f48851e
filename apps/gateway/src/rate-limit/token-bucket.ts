export interface RateLimitDecision {
  allowed: boolean;
  /** The bucket size: how many requests may be sent at once. */
  limit: number;
  /** Whole tokens left after this request. */
  remaining: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
  /** Seconds until the next token, when refused (0 when allowed). */
  retryAfterSeconds: number;
}

/** A classic token bucket: `capacity` tokens, refilled continuously at `ratePerSecond`; a request takes one. */
export class TokenBucket {
  private tokens: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly capacity: number,
    private updatedAtMs: number,
  ) {
    this.tokens = capacity;
  }

  take(nowMs: number): RateLimitDecision {
    this.refill(nowMs);
    const allowed = this.tokens >= 1;
    if (allowed) this.tokens -= 1;
    return {
      allowed,
      limit: this.capacity,
      remaining: Math.floor(this.tokens),
      resetSeconds: Math.ceil((this.capacity - this.tokens) / this.ratePerSecond),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((1 - this.tokens) / this.ratePerSecond)),
    };
  }

  private refill(nowMs: number): void {
    const elapsedSeconds = Math.max(0, nowMs - this.updatedAtMs) / 1000;
    this.tokens = Math.min(this.capacity, this.tokens + elapsedSeconds * this.ratePerSecond);
    this.updatedAtMs = nowMs;
  }
}
