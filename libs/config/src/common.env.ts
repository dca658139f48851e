import { IsBoolean, IsIn, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { ToBoolean, ToInt } from './env-decorators';
import { KafkaClusterEnv } from './kafka-cluster.env';

/** Variables every app reads (the Kafka cluster's security and group timing in KafkaClusterEnv). */
export class CommonEnv extends KafkaClusterEnv {
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/supportdesk';

  @Matches(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, {
    message: 'KAFKA_BROKERS must be a comma-separated list of host:port',
  })
  KAFKA_BROKERS = '127.0.0.1:9092';

  @Matches(/^[a-zA-Z0-9._-]*$/, {
    message: 'KAFKA_TOPIC_PREFIX may only contain letters, digits, ".", "_" and "-"',
  })
  KAFKA_TOPIC_PREFIX = '';

  @IsString()
  KAFKA_CLIENT_ID = 'supportdesk';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @ToInt()
  @IsInt()
  @Min(1)
  @Max(100)
  DATABASE_POOL_SIZE = 10;

  @ToInt()
  @IsInt()
  @Min(1000)
  @Max(120000)
  SHUTDOWN_TIMEOUT_MS = 25000;

  @ToBoolean()
  @IsBoolean()
  LOG_HTTP_REQUESTS = false;
}
