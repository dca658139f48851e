import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG, type DispatcherEnv } from '@app/config';
import { PeriodicJob } from '@app/runtime';
import { RetentionRepository } from './retention.repository';

const PURGE_EVERY_MS = 60 * 60_000;

/**
 * Applies WEBHOOK_RETENTION_DAYS once an hour (and shortly after start). Every replica may run it: the
 * deletes skip rows another replica holds, and deleting what is already gone is a no-op.
 */
@Injectable()
export class RetentionPurger implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionPurger.name);
  private readonly job: PeriodicJob;

  constructor(
    private readonly repository: RetentionRepository,
    @Inject(APP_CONFIG) private readonly config: DispatcherEnv,
    registry: SchedulerRegistry,
  ) {
    this.job = new PeriodicJob(
      registry,
      {
        name: RetentionPurger.name,
        everyMs: PURGE_EVERY_MS,
        firstAfterMs: 30_000,
        failureMessage: 'Webhook retention purge failed; will retry',
      },
      () => this.purgeOnce(),
    );
  }

  onApplicationBootstrap(): void {
    this.job.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }

  /** Runs a purge now (or joins the one in hand). */
  purge(): Promise<void> {
    return this.job.run();
  }

  private async purgeOnce(): Promise<void> {
    const retentionDays = this.config.WEBHOOK_RETENTION_DAYS;
    const { deliveries, events } = await this.repository.purge(retentionDays);
    if (deliveries + events > 0)
      this.logger.log(
        { deliveries, events, retentionDays },
        'Purged webhook deliveries and events past their retention',
      );
  }
}
