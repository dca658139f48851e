import { Inject, Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG, type DispatcherEnv } from '@app/config';
import { PeriodicService } from '@app/runtime';
import { RetentionRepository } from './retention.repository';

const PURGE_EVERY_MS = 60 * 60_000;

/**
 * Applies WEBHOOK_RETENTION_DAYS once an hour (and shortly after start). Every replica may run it: the
 * deletes skip rows another replica holds, and deleting what is already gone is a no-op.
 */
@Injectable()
export class RetentionPurger extends PeriodicService {
  constructor(
    private readonly repository: RetentionRepository,
    @Inject(APP_CONFIG) private readonly config: DispatcherEnv,
    registry: SchedulerRegistry,
  ) {
    super(registry, {
      name: RetentionPurger.name,
      everyMs: PURGE_EVERY_MS,
      firstAfterMs: 30_000,
      failureMessage: 'Webhook retention purge failed; will retry',
    });
  }

  protected async runOnce(): Promise<void> {
    const retentionDays = this.config.WEBHOOK_RETENTION_DAYS;
    const { deliveries, events } = await this.repository.purgeAcrossWorkspaces(retentionDays);
    if (deliveries + events > 0)
      this.logger.log(
        { deliveries, events, retentionDays },
        'Purged webhook deliveries and events past their retention',
      );
  }
}
