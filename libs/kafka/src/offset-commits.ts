import type { TopicPartitionOffset } from 'kafkajs';

/**
 * Commits consumed offsets off the batch path. kafkajs's auto-commit awaits an OffsetCommit round trip after
 * every partition's batch, before that worker takes the next one (and a fetch's next request waits for all of
 * them): on this project's bench it was a quarter of POST → readable at 1,000 events/s. Here a batch hands over
 * the offset after its last applied message and goes on; one commit is in flight at a time and carries the
 * latest offset of every partition handed over meanwhile, and commits start at most every `minIntervalMs`
 * (Kafka's own consumers commit every 5 s): a live consumer applies hundreds of small batches a second, and a
 * commit each would cost the consumer and the broker a request each, and delay the fetch queued behind it on
 * the broker's connection.
 *
 * Nothing is committed before it was applied, so delivery stays at-least-once: a commit that fails (the group
 * is rebalancing), is still waiting for its interval, or never happens (a crash) only means those messages are
 * consumed again, and every consumer here is idempotent. `flush()` (awaited before the consumer leaves its
 * group) commits at once, and a batch applied while it leaves commits its own offsets (`takeWith`).
 */
export class OffsetCommits {
  private readonly pending = new Map<string, TopicPartitionOffset>();
  private running?: Promise<void>;
  private lastCommitAt = Number.NEGATIVE_INFINITY;
  /** Set while the next commit waits for its interval: ends the wait. */
  private wake?: () => void;
  private urgent = false;

  constructor(
    private readonly commit: (offsets: TopicPartitionOffset[]) => Promise<void>,
    private readonly onError: (error: unknown, offsets: TopicPartitionOffset[]) => void,
    private readonly minIntervalMs = 0,
  ) {}

  /** `offset` is the next one to consume. Resolves once it (or a later one of its partition) was committed or failed. */
  offer(topic: string, partition: number, offset: string): Promise<void> {
    this.pending.set(`${topic}\u0000${partition}`, { topic, partition, offset });
    return this.start();
  }

  /**
   * `offset` of a batch applied while the consumer stops, with every offset still pending: the caller commits
   * them itself (kafkajs drops commits made through the consumer once it has stopped running).
   */
  takeWith(topic: string, partition: number, offset: string): TopicPartitionOffset[] {
    this.pending.set(`${topic}\u0000${partition}`, { topic, partition, offset });
    const offsets = [...this.pending.values()];
    this.pending.clear();
    return offsets;
  }

  /** Resolves once every offset offered so far was committed (or its commit failed), committing without waiting. */
  flush(): Promise<void> {
    this.urgent = true;
    this.wake?.();
    return this.start();
  }

  private start(): Promise<void> {
    if (!this.running) {
      if (this.pending.size === 0) {
        this.urgent = false;
        return Promise.resolve();
      }
      this.running = this.drain();
    }
    return this.running;
  }

  /** Until nothing is pending; the last check and the end of `running` happen in one synchronous step. */
  private async drain(): Promise<void> {
    try {
      while (this.pending.size > 0) {
        const wait = this.lastCommitAt + this.minIntervalMs - Date.now();
        if (wait > 0 && !this.urgent) {
          // Then look again: a leaving consumer may have taken the pending offsets meanwhile (`takeWith`).
          await this.sleep(wait);
          continue;
        }
        const offsets = [...this.pending.values()];
        this.pending.clear();
        this.lastCommitAt = Date.now();
        try {
          await this.commit(offsets);
        } catch (error) {
          this.onError(error, offsets);
        }
      }
    } finally {
      this.running = undefined;
      this.urgent = false;
    }
  }

  /** The wait for the interval since the last commit started; a flush ends it (`wake`). */
  private async sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      // Offsets left uncommitted by an exit are consumed again; the wait must not hold a process up.
      timer.unref();
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = undefined;
  }
}
