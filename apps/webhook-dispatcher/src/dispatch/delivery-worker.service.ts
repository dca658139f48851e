import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { APP_CONFIG, type DispatcherEnv } from '@app/config';
import { AtMostEvery, WakeableLoop } from '@app/runtime';
import { AttemptsDue, type ClaimedAttempt, DeliveryClaimsRepository, type SlotRefill } from '../delivery';
import { AttemptRunner } from './attempt-runner.service';
import { maxAttempts } from './retry-policy';
import { RETRY_SCHEDULE } from './retry-schedule';
import { attemptsInFlight, deliveriesPending } from './webhook-metrics';

const REAP_EVERY_MS = 5000;
const GAUGE_EVERY_MS = 15000;
/** A lease outlives the longest possible attempt by this much before another worker may take it over. */
const LEASE_MARGIN_MS = 30000;

/**
 * Sends due deliveries. Any number of replicas run this loop against the same tables: claims skip rows other
 * workers hold, so no attempt is made twice at once, and since the schedule lives in PostgreSQL a restart
 * picks up exactly where the last process stopped. Attempts run concurrently up to WEBHOOK_MAX_CONCURRENCY;
 * the loop sleeps WEBHOOK_POLL_INTERVAL_MS when idle and wakes early for new deliveries, manual retries and
 * finished attempts.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DeliveryWorker.name);
  private readonly inFlight = new Set<Promise<void>>();
  private readonly loop = new WakeableLoop();
  private readonly reaping = new AtMostEvery(REAP_EVERY_MS);
  private readonly gauging = new AtMostEvery(GAUGE_EVERY_MS);
  private readonly refill: SlotRefill;

  constructor(
    private readonly claims: DeliveryClaimsRepository,
    private readonly runner: AttemptRunner,
    @Inject(APP_CONFIG) private readonly config: DispatcherEnv,
    @Inject(RETRY_SCHEDULE) private readonly schedule: readonly number[],
    attemptsDue: AttemptsDue,
  ) {
    this.refill = {
      perTarget: config.WEBHOOK_MAX_CONCURRENCY_PER_TARGET,
      leaseMs: config.WEBHOOK_TIMEOUT_MS + LEASE_MARGIN_MS,
    };
    attemptsDue.listen(() => this.wake());
  }

  onApplicationBootstrap(): void {
    this.loop.startRounds({
      round: () => this.round(),
      retryAfterMs: (failures) => Math.min(500 * 2 ** failures, 10_000),
      logger: this.logger,
      failureMessage: 'Webhook worker could not claim deliveries; retrying',
    });
  }

  /** Stops claiming, then lets the attempts in flight finish and be recorded. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
    await Promise.allSettled([...this.inFlight]);
  }

  /** There may be due work: look now rather than at the next poll. */
  wake(): void {
    this.loop.wake();
  }

  /** Claims what it can; sleeps only when nothing was claimed or no capacity is left. */
  private async round(): Promise<number> {
    await this.housekeeping();
    const claimed = await this.claimAndStart();
    if (claimed > 0 && this.inFlight.size < this.config.WEBHOOK_MAX_CONCURRENCY) return 0;
    return this.config.WEBHOOK_POLL_INTERVAL_MS;
  }

  private async claimAndStart(): Promise<number> {
    const capacity = this.config.WEBHOOK_MAX_CONCURRENCY - this.inFlight.size;
    if (capacity <= 0) return 0;
    const claimed = await this.claims.claimDueAcrossWorkspaces({ ...this.refill, limit: capacity });
    for (const claim of claimed) {
      const attempt = this.runSlot(claim).finally(() => {
        this.inFlight.delete(attempt);
        attemptsInFlight.set(this.inFlight.size);
        this.wake();
      });
      this.inFlight.add(attempt);
    }
    attemptsInFlight.set(this.inFlight.size);
    return claimed.length;
  }

  /**
   * A slot: the claimed attempt, then, while the loop runs and the attempts succeed, the next ones its records
   * claim for it (AttemptRunner.run with a refill): a slot goes on to its next delivery without waiting for a
   * claim of its own.
   */
  private async runSlot(first: ClaimedAttempt): Promise<void> {
    let claim: ClaimedAttempt | undefined = first;
    while (claim) {
      const current: ClaimedAttempt = claim;
      claim = await this.runner
        .run(current, this.loop.running ? this.refill : undefined)
        .catch((error: unknown) => {
          this.logger.error(
            { err: error, deliveryId: current.deliveryId },
            'Could not record a webhook attempt',
          );
          return undefined;
        });
    }
  }

  private async housekeeping(): Promise<void> {
    if (this.reaping.due()) {
      const reaped = await this.claims.reapExpiredAcrossWorkspaces(maxAttempts(this.schedule));
      if (reaped > 0) this.logger.warn({ reaped }, 'Took over deliveries whose worker stopped mid-attempt');
    }
    if (this.gauging.due()) deliveriesPending.set(await this.claims.countUnfinishedAcrossWorkspaces());
  }
}
