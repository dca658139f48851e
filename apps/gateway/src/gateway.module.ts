import { type DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AuthModule } from '@app/auth';
import { APP_CONFIG, type GatewayEnv } from '@app/config';
import { DatabaseModule } from '@app/database';
import { allTopics } from '@app/contracts';
import { KafkaModule, kafkaOptionsOf } from '@app/kafka';
import { ObservabilityModule } from '@app/observability';
import { CustomerEventPublisher } from './customer-events/customer-event.publisher';
import { CustomerEventsController } from './customer-events/customer-events.controller';
import { CustomerEventsService } from './customer-events/customer-events.service';
import { EventIngestion } from './customer-events/event-ingestion.service';
import { CustomerLookup } from './customers/customer-lookup.service';
import { CustomersController } from './customers/customers.controller';
import { CustomersRepository } from './customers/customers.repository';
import { CustomersService } from './customers/customers.service';
import { IdempotencyPurger } from './idempotency/idempotency-purger.service';
import { IdempotencyRepository } from './idempotency/idempotency.repository';
import { IdempotencyService } from './idempotency/idempotency.service';
import { OutboxRelay } from './outbox/outbox-relay.service';
import { OutboxRepository } from './outbox/outbox.repository';
import { RateLimitGuard } from './rate-limit/rate-limit.guard';
import { RateLimiter } from './rate-limit/rate-limiter.service';

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayEnv): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        ScheduleModule.forRoot(),
        ObservabilityModule.forRoot({
          service: 'gateway',
          level: config.LOG_LEVEL,
          logHttpRequests: config.LOG_HTTP_REQUESTS,
          levelFormat: config.LOG_LEVEL_FORMAT,
          timeFormat: config.LOG_TIME_FORMAT,
        }),
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          poolSize: config.DATABASE_POOL_SIZE,
          applicationName: 'gateway',
        }),
        KafkaModule.forRoot(kafkaOptionsOf(config, 'gateway', allTopics(config.KAFKA_TOPIC_PREFIX)), {
          lingerMs: config.KAFKA_LINGER_MS,
          maxBatchMessages: config.KAFKA_MAX_BATCH_MESSAGES,
          timeoutMs: config.KAFKA_PUBLISH_TIMEOUT_MS,
        }),
        AuthModule,
      ],
      controllers: [CustomerEventsController, CustomersController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        CustomerEventPublisher,
        CustomerEventsService,
        EventIngestion,
        CustomerLookup,
        CustomersRepository,
        CustomersService,
        IdempotencyRepository,
        IdempotencyService,
        IdempotencyPurger,
        OutboxRepository,
        OutboxRelay,
        RateLimiter,
        RateLimitGuard,
      ],
    };
  }
}
