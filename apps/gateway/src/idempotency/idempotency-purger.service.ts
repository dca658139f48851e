import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { PeriodicJob } from '@app/runtime';
import { IdempotencyRepository } from './idempotency.repository';

const PURGE_EVERY_MS = 10 * 60_000;

/**
 * Deletes Idempotency-Keys older than 24 h every 10 minutes. Every replica runs it: the DELETE is idempotent
 * and cheap (an index on created_at), and expired rows are ignored by lookups even before they are purged.
 */
@Injectable()
export class IdempotencyPurger implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdempotencyPurger.name);
  private readonly job: PeriodicJob;

  constructor(
    private readonly repository: IdempotencyRepository,
    registry: SchedulerRegistry,
  ) {
    this.job = new PeriodicJob(
      registry,
      {
        name: IdempotencyPurger.name,
        everyMs: PURGE_EVERY_MS,
        failureMessage: 'Idempotency key purge failed; will retry',
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
    const count = await this.repository.purgeExpired();
    if (count > 0) this.logger.log({ count }, 'Purged expired idempotency keys');
  }
}
