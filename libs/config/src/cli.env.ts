import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { CommonEnv } from './common.env';
import { ToInt } from './env-decorators';
import { Holds } from './env-validators';

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

  /** Unset: min(2, replication − 1) when replication ≥ 2, else 1 (acks=all then survives one broker lost). */
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(10)
  @Holds<CliEnv>(
    (c) =>
      c.KAFKA_MIN_INSYNC_REPLICAS === undefined || c.KAFKA_MIN_INSYNC_REPLICAS <= c.KAFKA_REPLICATION_FACTOR,
    'KAFKA_MIN_INSYNC_REPLICAS cannot exceed KAFKA_REPLICATION_FACTOR (every write would be refused)',
  )
  KAFKA_MIN_INSYNC_REPLICAS: number | undefined = undefined;

  /** retention.ms of every topic; -1 keeps messages for ever. 7 days by default. */
  @ToInt()
  @IsInt()
  @Min(-1)
  KAFKA_RETENTION_MS = 604_800_000;
}

/** The min.insync.replicas `topics create` sets: explicit, or one less than replication (at most 2). */
export function minInsyncReplicasOf(
  config: Pick<CliEnv, 'KAFKA_MIN_INSYNC_REPLICAS' | 'KAFKA_REPLICATION_FACTOR'>,
): number {
  if (config.KAFKA_MIN_INSYNC_REPLICAS !== undefined) return config.KAFKA_MIN_INSYNC_REPLICAS;
  const replication = config.KAFKA_REPLICATION_FACTOR;
  return replication >= 2 ? Math.min(2, replication - 1) : 1;
}
