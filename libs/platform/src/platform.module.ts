import { type DynamicModule, Global, Logger, Module, type Provider, type Type } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TerminusModule } from '@nestjs/terminus';
import { collectDefaultMetrics } from 'prom-client';
import { APP_CONFIG, type CommonEnv, cursorSecret, type CursorSecretEnv } from '@app/config';
import { allTopics } from '@app/contracts';
import { DatabaseModule } from '@app/database';
import { CursorSigner } from '@app/http';
import {
  KafkaBatchServer,
  kafkaBatchServerProvider,
  KafkaHealthIndicator,
  KafkaModule,
  kafkaOptionsOf,
  type PublisherOptions,
} from '@app/kafka';
import { LoggingModule, metricsRegistry } from '@app/observability';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import { ReadinessMetric } from './readiness.metric';

/** What sets one app's infrastructure apart from another's; everything else is the same for all three. */
export interface PlatformOptions {
  /** On every log line and metric series, in the Kafka client id and PostgreSQL's application_name. */
  service: 'gateway' | 'projector' | 'webhook-dispatcher';
  /** Producer settings other than the defaults. */
  publisher?: Partial<PublisherOptions>;
  /**
   * The app's consumer group: provides `KafkaBatchServer` (main.ts starts it with `consumes: true`); the
   * session timeout defaults to KAFKA_SESSION_TIMEOUT_MS.
   */
  consumerGroup?: { groupId: string; sessionTimeout?: number; partitionsConsumedConcurrently?: number };
  /** The app runs periodic jobs (`PeriodicJob` on @nestjs/schedule). */
  schedule?: boolean;
  /** The app signs paging cursors: provides `CursorSigner` keyed with CURSOR_SECRET. */
  cursors?: CursorSecretEnv;
}

function cursorSigner(config: CursorSecretEnv): CursorSigner {
  const { key, insecure } = cursorSecret(config);
  if (insecure)
    new Logger('Cursors').warn(
      'CURSOR_SECRET is not set: cursors are signed with the public development key',
    );
  return new CursorSigner(key);
}

/**
 * What every app runs on, in one import: its validated config (`APP_CONFIG`), JSON logs, /metrics and
 * /health/{live,ready}, PostgreSQL, Kafka (client, publisher, the topics checked at boot), and on demand the
 * scheduler, the cursor signer and the consumer group's transport. Global: feature modules inject these
 * without importing anything but their own features and `AuthModule`.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: CommonEnv, options: PlatformOptions): DynamicModule {
    const { service } = options;
    // Every series, the apps' own included, names its app: one Prometheus job may scrape all three.
    metricsRegistry.setDefaultLabels({ service });
    if (!metricsRegistry.getSingleMetric('process_cpu_user_seconds_total')) collectDefaultMetrics();
    const shared: Provider[] = [{ provide: APP_CONFIG, useValue: config }];
    const exported: Array<symbol | Type> = [APP_CONFIG];
    if (options.cursors) {
      const cursors = options.cursors;
      shared.push({ provide: CursorSigner, useFactory: () => cursorSigner(cursors) });
      exported.push(CursorSigner);
    }
    if (options.consumerGroup) {
      exported.push(KafkaBatchServer);
      shared.push(
        kafkaBatchServerProvider({
          groupId: options.consumerGroup.groupId,
          sessionTimeout: options.consumerGroup.sessionTimeout ?? config.KAFKA_SESSION_TIMEOUT_MS,
          heartbeatInterval: config.KAFKA_HEARTBEAT_INTERVAL_MS,
          partitionsConsumedConcurrently: options.consumerGroup.partitionsConsumedConcurrently,
        }),
      );
    }
    return {
      module: PlatformModule,
      imports: [
        ...(options.schedule ? [ScheduleModule.forRoot()] : []),
        LoggingModule.forRoot({
          service,
          level: config.LOG_LEVEL,
          logHttpRequests: config.LOG_HTTP_REQUESTS,
          levelFormat: config.LOG_LEVEL_FORMAT,
          timeFormat: config.LOG_TIME_FORMAT,
        }),
        TerminusModule.forRoot({ errorLogStyle: 'json' }),
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          poolSize: config.DATABASE_POOL_SIZE,
          applicationName: service,
          preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
        }),
        KafkaModule.forRoot(
          kafkaOptionsOf(config, service, allTopics(config.KAFKA_TOPIC_PREFIX)),
          options.publisher,
        ),
      ],
      controllers: [HealthController, MetricsController],
      providers: [...shared, KafkaHealthIndicator, ReadinessMetric],
      exports: exported,
    };
  }
}
