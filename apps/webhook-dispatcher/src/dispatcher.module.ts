import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AuthModule } from '@app/auth';
import { APP_CONFIG, cursorSecret, type DispatcherEnv, parseRetrySchedule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { allTopics } from '@app/contracts';
import { CursorSigner } from '@app/http';
import { kafkaBatchServerProvider, KafkaModule, kafkaOptionsOf } from '@app/kafka';
import { ObservabilityModule } from '@app/observability';
import { AttemptResultsRepository } from './delivery/attempt-results.repository';
import { RetentionPurger } from './delivery/retention-purger.service';
import { RetentionRepository } from './delivery/retention.repository';
import { ChangeIntakeController } from './delivery/change-intake.controller';
import { CustomerChangesHandler } from './delivery/customer-changes.handler';
import { DeliveriesController } from './delivery/deliveries.controller';
import { DeliveriesRepository } from './delivery/deliveries.repository';
import { DeliveriesService } from './delivery/deliveries.service';
import { DeliveryClaimsRepository } from './delivery/delivery-claims.repository';
import { DeliveryIntakeRepository } from './delivery/delivery-intake.repository';
import { ExampleDeliveriesRepository } from './delivery/example-deliveries.repository';
import { AttemptRunner } from './dispatch/attempt-runner.service';
import { DeliveryWorker } from './dispatch/delivery-worker.service';
import { RETRY_SCHEDULE } from './dispatcher.tokens';
import { WebhookHttpClient } from './net/webhook-http.client';
import { webhookEncryptionKey } from './secrets/encryption-key';
import { SecretBox } from './secrets/secret-box';
import { TargetUrlPolicy } from './targets/target-url.policy';
import { WebhookTargetsController } from './targets/webhook-targets.controller';
import { WebhookTargetsRepository } from './targets/webhook-targets.repository';
import { WebhookTargetsService } from './targets/webhook-targets.service';

function secretBox(config: DispatcherEnv): SecretBox {
  const { key, insecure } = webhookEncryptionKey(config);
  if (insecure) {
    new Logger('WebhookSecrets').warn(
      'WEBHOOK_SECRET_ENCRYPTION_KEY is not set: webhook secrets are sealed with the public development key',
    );
  }
  return new SecretBox(key);
}

function cursorSigner(config: DispatcherEnv): CursorSigner {
  const { key, insecure } = cursorSecret(config);
  if (insecure)
    new Logger('Cursors').warn(
      'CURSOR_SECRET is not set: cursors are signed with the public development key',
    );
  return new CursorSigner(key);
}

function httpClient(config: DispatcherEnv): WebhookHttpClient {
  return new WebhookHttpClient({
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    allowPrivateTargets: config.WEBHOOK_ALLOW_PRIVATE_TARGETS,
    connectionsPerOrigin: config.WEBHOOK_MAX_CONCURRENCY,
  });
}

@Module({})
export class DispatcherModule {
  static forRoot(config: DispatcherEnv): DynamicModule {
    return {
      module: DispatcherModule,
      imports: [
        ScheduleModule.forRoot(),
        ObservabilityModule.forRoot({
          service: 'webhook-dispatcher',
          level: config.LOG_LEVEL,
          logHttpRequests: config.LOG_HTTP_REQUESTS,
          levelFormat: config.LOG_LEVEL_FORMAT,
          timeFormat: config.LOG_TIME_FORMAT,
        }),
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          poolSize: config.DATABASE_POOL_SIZE,
          applicationName: 'webhook-dispatcher',
        }),
        KafkaModule.forRoot(
          kafkaOptionsOf(config, 'webhook-dispatcher', allTopics(config.KAFKA_TOPIC_PREFIX)),
        ),
        AuthModule,
      ],
      controllers: [WebhookTargetsController, DeliveriesController, ChangeIntakeController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: RETRY_SCHEDULE, useValue: parseRetrySchedule(config.WEBHOOK_RETRY_SCHEDULE) },
        { provide: SecretBox, useFactory: () => secretBox(config) },
        { provide: WebhookHttpClient, useFactory: () => httpClient(config) },
        { provide: CursorSigner, useFactory: () => cursorSigner(config) },
        TargetUrlPolicy,
        WebhookTargetsRepository,
        WebhookTargetsService,
        DeliveryIntakeRepository,
        DeliveryClaimsRepository,
        AttemptResultsRepository,
        DeliveriesRepository,
        ExampleDeliveriesRepository,
        DeliveriesService,
        AttemptRunner,
        DeliveryWorker,
        CustomerChangesHandler,
        kafkaBatchServerProvider({
          groupId: config.DISPATCHER_GROUP_ID,
          sessionTimeout: config.KAFKA_SESSION_TIMEOUT_MS,
          heartbeatInterval: config.KAFKA_HEARTBEAT_INTERVAL_MS,
        }),
        RetentionRepository,
        RetentionPurger,
      ],
    };
  }
}
