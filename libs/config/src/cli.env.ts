import { IsInt, Max, Min } from 'class-validator';
import { CommonEnv } from './common.env';
import { ToInt } from './env-decorators';

export class CliEnv extends CommonEnv {
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(1000)
  KAFKA_PARTITIONS = 12;

  @ToInt()
  @IsInt()
  @Min(1)
  @Max(10)
  KAFKA_REPLICATION_FACTOR = 1;
}
