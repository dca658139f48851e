import { type DynamicModule, Module } from '@nestjs/common';
import { type DispatcherEnv } from '@app/config';
import { PlatformModule } from '@app/platform';
import { DeliveryModule } from './delivery';
import { DispatchModule } from './dispatch';
import { TargetsModule } from './targets';

/** The webhook dispatcher: its infrastructure and its features (layering in docs/architecture.md). */
@Module({})
export class DispatcherModule {
  static forRoot(config: DispatcherEnv): DynamicModule {
    return {
      module: DispatcherModule,
      imports: [
        PlatformModule.forRoot(config, {
          service: 'webhook-dispatcher',
          schedule: true,
          cursors: config,
          consumerGroup: { groupId: config.DISPATCHER_GROUP_ID },
        }),
        TargetsModule,
        DeliveryModule,
        DispatchModule,
      ],
    };
  }
}
