import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { SchedulerRegistry } from '@nestjs/schedule';

export interface PeriodicJobOptions {
  /** The name under which the interval is registered in Nest's SchedulerRegistry. */
  name: string;
  everyMs: number;
  /** A first run this long after `start` (before the first interval); none when omitted. */
  firstAfterMs?: number;
  /** What to log when a run fails; the next interval retries. */
  failureMessage: string;
}

/**
 * A job run every `everyMs` on timers registered in `@nestjs/schedule`'s SchedulerRegistry. Runs never
 * overlap (a tick while one is in hand joins it), a failed run is logged and retried at the next tick, the
 * timers never hold the process open, and `stop()` clears them and waits for the run in hand.
 */
export class PeriodicJob {
  private readonly logger: Logger;
  private inHand?: Promise<void>;

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly options: PeriodicJobOptions,
    private readonly work: () => Promise<void>,
  ) {
    this.logger = new Logger(options.name);
  }

  start(): void {
    const { name, everyMs, firstAfterMs } = this.options;
    const every = setInterval(() => void this.run(), everyMs);
    every.unref();
    this.registry.addInterval(name, every);
    if (firstAfterMs !== undefined) {
      const first = setTimeout(() => void this.run(), firstAfterMs);
      first.unref();
      this.registry.addTimeout(`${name}:first`, first);
    }
  }

  /** Runs the job now, or joins the run in hand; never rejects. */
  run(): Promise<void> {
    this.inHand ??= this.work()
      .catch((error: unknown) => this.logger.warn({ err: error }, this.options.failureMessage))
      .finally(() => (this.inHand = undefined));
    return this.inHand;
  }

  async stop(): Promise<void> {
    const { name } = this.options;
    if (this.registry.doesExist('interval', name)) this.registry.deleteInterval(name);
    if (this.registry.doesExist('timeout', `${name}:first`)) this.registry.deleteTimeout(`${name}:first`);
    await this.inHand;
  }
}

/**
 * A Nest provider whose work is a PeriodicJob: its timers start with the application and stop at its shutdown
 * (which waits for the run in hand). A subclass says what one run does (`runOnce`) and passes its options.
 *
 *   @Injectable()
 *   export class Purger extends PeriodicService {
 *     constructor(private readonly repository: Repo, registry: SchedulerRegistry) {
 *       super(registry, { name: Purger.name, everyMs: 60_000, failureMessage: 'Purge failed; will retry' });
 *     }
 *     protected async runOnce() { this.logger.log({ purged: await this.repository.purge() }, 'Purged'); }
 *   }
 */
export abstract class PeriodicService implements OnApplicationBootstrap, OnApplicationShutdown {
  /** Named after the job, like the job's own failure log. */
  protected readonly logger: Logger;
  private readonly job: PeriodicJob;

  protected constructor(registry: SchedulerRegistry, options: PeriodicJobOptions) {
    this.logger = new Logger(options.name);
    this.job = new PeriodicJob(registry, options, () => this.runOnce());
  }

  onApplicationBootstrap(): void {
    this.job.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }

  /** Runs the job now, or joins the run in hand; never rejects. */
  run(): Promise<void> {
    return this.job.run();
  }

  protected abstract runOnce(): Promise<void>;
}
