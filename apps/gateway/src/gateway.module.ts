import { type DynamicModule, Module } from '@nestjs/common';
import { type GatewayEnv } from '@app/config';
import { PlatformModule } from '@app/platform';
import { CustomerEventsModule } from './customer-events';
import { CustomersModule } from './customers';

/** The gateway: its infrastructure and its features (layering in docs/architecture.md). */
@Module({})
export class GatewayModule {
  static forRoot(config: GatewayEnv): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        PlatformModule.forRoot(config, {
          service: 'gateway',
          schedule: true,
          publisher: {
            lingerMs: config.KAFKA_LINGER_MS,
            maxBatchMessages: config.KAFKA_MAX_BATCH_MESSAGES,
            timeoutMs: config.KAFKA_PUBLISH_TIMEOUT_MS,
          },
        }),
        CustomerEventsModule,
        CustomersModule,
      ],
    };
  }
}
