import { IsInt, IsOptional, IsString, Max, Min, ValidateIf } from 'class-validator';
import { CommonEnv } from './common.env';
import { IsCursorSecret } from './cursor-secret';
import { ToInt } from './env-decorators';

export class ProjectorEnv extends CommonEnv {
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(65535)
  PROJECTOR_PORT = 3001;

  @IsString()
  PROJECTOR_GROUP_ID = 'supportdesk-projector';

  /** Overrides KAFKA_SESSION_TIMEOUT_MS for the projector's group only (unset: KAFKA_SESSION_TIMEOUT_MS). */
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(6000)
  @Max(300000)
  PROJECTOR_SESSION_TIMEOUT_MS: number | undefined = undefined;

  /**
   * Partitions' batches of one fetch applied at once (kafkajs `partitionsConsumedConcurrently`); the batches
   * handed over together are written in one transaction per topic, so it should cover every partition of
   * customer-events and customer-changes one replica may hold (24 with KAFKA_PARTITIONS=12).
   */
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(1000)
  PROJECTOR_PARTITIONS_CONCURRENTLY = 32;

  /** How often each replica reads the group's offsets for X-Projection-Lag-Ms and consumer_lag_messages. */
  @ToInt()
  @IsInt()
  @Min(100)
  @Max(60000)
  PROJECTOR_LAG_SAMPLE_MS = 1000;

  /**
   * Signs timeline cursors (HMAC-SHA256); the same value on every replica. Outside production an insecure,
   * publicly known development key is used when it is unset; production refuses to start without it.
   */
  @ValidateIf((env: ProjectorEnv) => env.NODE_ENV === 'production' || env.CURSOR_SECRET !== '')
  @IsCursorSecret()
  CURSOR_SECRET = '';

  /** A timeline page holds at most this many bytes of serialized items (and always at least one item). */
  @ToInt()
  @IsInt()
  @Min(1024)
  @Max(64 * 1024 * 1024)
  TIMELINE_PAGE_MAX_BYTES = 1024 * 1024;

  /** A live stream is ended after this long (with up to 10% less, spread); the client resumes with Last-Event-ID. */
  @ToInt()
  @IsInt()
  @Min(1000)
  @Max(24 * 3_600_000)
  LIVE_STREAM_MAX_LIFETIME_MS = 15 * 60_000;

  /** Live streams one API key may hold open at once on one replica; past it, 429 RATE_LIMITED. */
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(500)
  LIVE_STREAMS_PER_KEY = 20;
}
