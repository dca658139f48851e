import { Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { PeriodicService } from '@app/runtime';
import { IdempotencyRepository } from './idempotency.repository';

const PURGE_EVERY_MS = 10 * 60_000;

/**
 * Deletes Idempotency-Keys older than 24 h every 10 minutes. Every replica runs it: the DELETE is idempotent
 * and cheap (an index on created_at), and expired rows are ignored by lookups even before they are purged.
 */
@Injectable()
export class IdempotencyPurger extends PeriodicService {
  constructor(
    private readonly repository: IdempotencyRepository,
    registry: SchedulerRegistry,
  ) {
    super(registry, {
      name: IdempotencyPurger.name,
      everyMs: PURGE_EVERY_MS,
      failureMessage: 'Idempotency key purge failed; will retry',
    });
  }

  protected async runOnce(): Promise<void> {
    const count = await this.repository.purgeExpiredAcrossWorkspaces();
    if (count > 0) this.logger.log({ count }, 'Purged expired idempotency keys');
  }
}
