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

  /** Hot statements prepared once per connection; false behind a pooler that cannot carry prepared statements. */
  @ToBoolean()
  @IsBoolean()
  DATABASE_PREPARED_STATEMENTS = true;

  @ToInt()
  @IsInt()
  @Min(1000)
  @Max(120000)
  SHUTDOWN_TIMEOUT_MS = 25000;

  @ToBoolean()
  @IsBoolean()
  LOG_HTTP_REQUESTS = false;

  /** `number` (pino's default, `"level":30`) or `label` (`"level":"info"`). */
  @IsIn(['number', 'label'])
  LOG_LEVEL_FORMAT: 'number' | 'label' = 'number';

  /** `epoch` (milliseconds, pino's default) or `iso` (`"time":"2026-01-05T10:00:00.000Z"`). */
  @IsIn(['epoch', 'iso'])
  LOG_TIME_FORMAT: 'epoch' | 'iso' = 'epoch';

  /** Time a client has to send the request line and headers (Node's headersTimeout; capped at the request timeout). */
  @ToInt()
  @IsInt()
  @Min(1000)
  @Max(600000)
  HTTP_HEADERS_TIMEOUT_MS = 10000;

  /**
   * Time a client has to send a whole request, headers and body (Node's requestTimeout): a client trickling
   * bytes gets 408 and its socket closed. It bounds receiving only: a long response (an SSE stream) is not cut.
   */
  @ToInt()
  @IsInt()
  @Min(1000)
  @Max(600000)
  HTTP_REQUEST_TIMEOUT_MS = 30000;

  /** How long an idle keep-alive connection stays open; above the usual 60 s of load balancers, so they close first. */
  @ToInt()
  @IsInt()
  @Min(1000)
  @Max(600000)
  HTTP_KEEP_ALIVE_TIMEOUT_MS = 65000;
}
