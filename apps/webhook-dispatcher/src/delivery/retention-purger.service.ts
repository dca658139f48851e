import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, type DispatcherEnv } from '@app/config';
import { RetentionRepository } from './retention.repository';

const PURGE_EVERY_MS = 60 * 60_000;

/**
 * Applies WEBHOOK_RETENTION_DAYS once an hour (and shortly after start). Every replica may run it: the
 * deletes skip rows another replica holds, and deleting what is already gone is a no-op.
 */
@Injectable()
export class RetentionPurger implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionPurger.name);
  private timers: NodeJS.Timeout[] = [];
  private running?: Promise<void>;

  constructor(
    private readonly repository: RetentionRepository,
    @Inject(APP_CONFIG) private readonly config: DispatcherEnv,
  ) {}

  onApplicationBootstrap(): void {
    const first = setTimeout(() => void this.purge(), 30_000);
    const every = setInterval(() => void this.purge(), PURGE_EVERY_MS);
    this.timers = [first, every];
    for (const timer of this.timers) timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    await this.running;
  }

  purge(): Promise<void> {
    this.running ??= this.repository
      .purge(this.config.WEBHOOK_RETENTION_DAYS)
      .then(({ deliveries, events }) => {
        if (deliveries + events > 0)
          this.logger.log(
            { deliveries, events, retentionDays: this.config.WEBHOOK_RETENTION_DAYS },
            'Purged webhook deliveries and events past their retention',
          );
      })
      .catch((error: unknown) =>
        this.logger.warn({ err: error }, 'Webhook retention purge failed; will retry'),
      )
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
