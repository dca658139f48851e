import { IsInt, Max, Min } from 'class-validator';
import { CommonEnv } from './common.env';
import { ToInt } from './env-decorators';

export class GatewayEnv extends CommonEnv {
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(65535)
  GATEWAY_PORT = 3000;

  /** How long a request waits for the broker's acknowledgement before answering 503. */
  @ToInt()
  @IsInt()
  @Min(100)
  @Max(60000)
  KAFKA_PUBLISH_TIMEOUT_MS = 5000;

  /** Micro-batching: a publish waits at most this long for others to share its round trip. */
  @ToInt()
  @IsInt()
  @Min(0)
  @Max(100)
  KAFKA_LINGER_MS = 2;

  @ToInt()
  @IsInt()
  @Min(1)
  @Max(10000)
  KAFKA_MAX_BATCH_MESSAGES = 1000;

  /**
   * Request body bytes (declared Content-Length) the gateway holds at once; a request beyond it is answered 503
   * with Retry-After before its body is read, so a burst of large batches cannot exhaust memory. 0: no bound.
   */
  @ToInt()
  @IsInt()
  @Min(0)
  @Max(1024 * 1024 * 1024)
  GATEWAY_MAX_REQUEST_BYTES_IN_FLIGHT = 8 * 1024 * 1024;

  /** Per-API-key token bucket refill rate, in requests per second on the event endpoints; 0 turns it off. */
  @ToInt()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  RATE_LIMIT_PER_SECOND = 0;

  /** Token bucket size (requests allowed at once); 0 means the same as RATE_LIMIT_PER_SECOND. */
  @ToInt()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  RATE_LIMIT_BURST = 0;

  /** How long a request waits for another one with the same Idempotency-Key to finish before a 409. */
  @ToInt()
  @IsInt()
  @Min(0)
  @Max(60000)
  IDEMPOTENCY_WAIT_MS = 5000;
}
