import { IsInt, IsString, Max, Min } from 'class-validator';
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

  /** How long the group waits for a silent replica (killed, partitioned) before its partitions move. */
  @ToInt()
  @IsInt()
  @Min(6000)
  @Max(300000)
  PROJECTOR_SESSION_TIMEOUT_MS = 30000;

  /** How often each replica reads the group's offsets for X-Projection-Lag-Ms and consumer_lag_messages. */
  @ToInt()
  @IsInt()
  @Min(100)
  @Max(60000)
  PROJECTOR_LAG_SAMPLE_MS = 1000;
}
