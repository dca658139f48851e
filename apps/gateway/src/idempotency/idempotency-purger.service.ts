import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { IdempotencyRepository } from './idempotency.repository';

const PURGE_EVERY_MS = 10 * 60_000;

/**
 * Deletes Idempotency-Keys older than 24 h every 10 minutes. Every replica runs it: the DELETE is idempotent
 * and cheap (an index on created_at), and expired rows are ignored by lookups even before they are purged.
 */
@Injectable()
export class IdempotencyPurger implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdempotencyPurger.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(private readonly repository: IdempotencyRepository) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.purge(), PURGE_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  purge(): Promise<void> {
    this.running ??= this.repository
      .purgeExpired()
      .then((count) => {
        if (count > 0) this.logger.log({ count }, 'Purged expired idempotency keys');
      })
      .catch((error: unknown) => this.logger.warn({ err: error }, 'Idempotency key purge failed; will retry'))
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
