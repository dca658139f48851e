import { Module } from '@nestjs/common';
import { APP_CONFIG, type DispatcherEnv, parseRetrySchedule } from '@app/config';
import { DeliveryModule } from '../delivery';
import { NetModule } from '../net';
import { SecretsModule } from '../secrets';
import { AttemptRunner } from './attempt-runner.service';
import { DeliveryWorker } from './delivery-worker.service';
import { RETRY_SCHEDULE } from './retry-schedule';

/** Sends due attempts: claims them from the queue, renders, signs, sends, classifies and records them. */
@Module({
  imports: [DeliveryModule, NetModule, SecretsModule],
  providers: [
    {
      provide: RETRY_SCHEDULE,
      useFactory: (config: DispatcherEnv) => parseRetrySchedule(config.WEBHOOK_RETRY_SCHEDULE),
      inject: [APP_CONFIG],
    },
    AttemptRunner,
    DeliveryWorker,
  ],
})
export class DispatchModule {}
