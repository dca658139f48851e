import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { CommonEnv } from './common.env';
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

  /** How often each replica reads the group's offsets for X-Projection-Lag-Ms and consumer_lag_messages. */
  @ToInt()
  @IsInt()
  @Min(100)
  @Max(60000)
  PROJECTOR_LAG_SAMPLE_MS = 1000;
}
