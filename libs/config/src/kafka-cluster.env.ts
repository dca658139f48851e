import { IsBoolean, IsIn, IsInt, IsString, Max, Min } from 'class-validator';
import { ToBoolean, ToInt } from './env-decorators';
import { Holds, IsReadableFileOrEmpty } from './env-validators';

export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

const set = (value: string): boolean => value !== '';

/**
 * How every app and the CLI reach a Kafka cluster beyond the local broker: TLS (server-verified or mutual),
 * SASL credentials (inline or from files mounted as secrets), and the consumer-group failover timing.
 * Validated at boot like the rest: a missing key file or a mechanism without credentials stops the process.
 */
export class KafkaClusterEnv {
  @ToBoolean()
  @IsBoolean()
  KAFKA_SSL = false;

  /** PEM bundle of the CA(s) that signed the brokers' certificates; unset = the system's trusted CAs. */
  @IsReadableFileOrEmpty()
  @Holds<KafkaClusterEnv>(
    (c) => !set(c.KAFKA_SSL_CA_FILE) || c.KAFKA_SSL,
    'KAFKA_SSL_CA_FILE needs KAFKA_SSL=true',
  )
  KAFKA_SSL_CA_FILE = '';

  /** Client certificate (PEM) for mutual TLS; goes with KAFKA_SSL_KEY_FILE. */
  @IsReadableFileOrEmpty()
  @Holds<KafkaClusterEnv>(
    (c) => set(c.KAFKA_SSL_CERT_FILE) === set(c.KAFKA_SSL_KEY_FILE),
    'KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE must be set together (mutual TLS)',
  )
  @Holds<KafkaClusterEnv>(
    (c) => !set(c.KAFKA_SSL_CERT_FILE) || c.KAFKA_SSL,
    'KAFKA_SSL_CERT_FILE needs KAFKA_SSL=true',
  )
  KAFKA_SSL_CERT_FILE = '';

  @IsReadableFileOrEmpty()
  KAFKA_SSL_KEY_FILE = '';

  /** false accepts any broker certificate: for a test cluster only, never in production. */
  @ToBoolean()
  @IsBoolean()
  KAFKA_SSL_REJECT_UNAUTHORIZED = true;

  @IsIn(['', ...SASL_MECHANISMS], {
    message: `KAFKA_SASL_MECHANISM must be one of ${SASL_MECHANISMS.join(', ')} (or unset)`,
  })
  KAFKA_SASL_MECHANISM: '' | SaslMechanism = '';

  @IsString()
  @Holds<KafkaClusterEnv>(
    (c) => !set(c.KAFKA_SASL_MECHANISM) || set(c.KAFKA_SASL_USERNAME) !== set(c.KAFKA_SASL_USERNAME_FILE),
    'KAFKA_SASL_MECHANISM needs exactly one of KAFKA_SASL_USERNAME or KAFKA_SASL_USERNAME_FILE',
  )
  KAFKA_SASL_USERNAME = '';

  @IsReadableFileOrEmpty()
  KAFKA_SASL_USERNAME_FILE = '';

  @IsString()
  @Holds<KafkaClusterEnv>(
    (c) => !set(c.KAFKA_SASL_MECHANISM) || set(c.KAFKA_SASL_PASSWORD) !== set(c.KAFKA_SASL_PASSWORD_FILE),
    'KAFKA_SASL_MECHANISM needs exactly one of KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE',
  )
  @Holds<KafkaClusterEnv>(
    (c) =>
      set(c.KAFKA_SASL_MECHANISM) ||
      ![
        c.KAFKA_SASL_USERNAME,
        c.KAFKA_SASL_USERNAME_FILE,
        c.KAFKA_SASL_PASSWORD,
        c.KAFKA_SASL_PASSWORD_FILE,
      ].some(set),
    'KAFKA_SASL_USERNAME/PASSWORD are set but KAFKA_SASL_MECHANISM is not',
  )
  KAFKA_SASL_PASSWORD = '';

  @IsReadableFileOrEmpty()
  KAFKA_SASL_PASSWORD_FILE = '';

  /**
   * How long a consumer group waits for a silent member (SIGKILLed, partitioned) before its partitions move:
   * the bound on how long part of the stream stays unprocessed after a replica dies. Shorter fails over
   * sooner but evicts a member whose batch (or GC pause) outlasts it.
   */
  @ToInt()
  @IsInt()
  @Min(6000)
  @Max(300000)
  KAFKA_SESSION_TIMEOUT_MS = 10000;

  @ToInt()
  @IsInt()
  @Min(100)
  @Max(100000)
  @Holds<KafkaClusterEnv>(
    (c) => c.KAFKA_HEARTBEAT_INTERVAL_MS * 3 <= c.KAFKA_SESSION_TIMEOUT_MS,
    'KAFKA_HEARTBEAT_INTERVAL_MS must be at most a third of KAFKA_SESSION_TIMEOUT_MS',
  )
  KAFKA_HEARTBEAT_INTERVAL_MS = 1000;

  /** production: the apps warn at boot about topics replicated fewer than 3 times. */
  @IsString()
  NODE_ENV = 'development';
}
