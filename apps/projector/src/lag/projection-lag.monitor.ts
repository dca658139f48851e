import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Admin, Kafka } from 'kafkajs';
import { TOPICS } from '@app/contracts';
import { APP_CONFIG, type ProjectorEnv } from '@app/config';
import { KAFKA_CLIENT, TopicResolver, withTimeout } from '@app/kafka';
import { gauge } from '@app/observability/metrics';
import { PartitionLag } from './partition-lag';

// The same series the consumer transport (KafkaBatchServer) updates after each batch; sampled here too so it is right when idle.
const lagMessages = gauge('consumer_lag_messages', 'High watermark minus the next offset, per partition', [
  'group',
  'topic',
  'partition',
]);
const lagSeconds = gauge(
  'projector_lag_seconds',
  'Age of the oldest message not yet projected, per partition (0 when caught up)',
  ['topic', 'partition'],
);

/**
 * Samples the projector group's committed offsets against the topics' high watermarks, for every partition
 * (whichever replica consumes it), and answers how far behind the read models are. Every replica samples, so
 * any replica can answer for the whole group, including for partitions a dead replica still holds.
 */
@Injectable()
export class ProjectionLagMonitor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ProjectionLagMonitor.name);
  private readonly partitions = new Map<string, PartitionLag>();
  private readonly startedAt = Date.now();
  private lastSampleAt?: number;
  private admin?: Admin;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private failures = 0;

  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    @Inject(APP_CONFIG) private readonly config: ProjectorEnv,
    private readonly topics: TopicResolver,
  ) {}

  onApplicationBootstrap(): void {
    void this.tick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.admin?.disconnect().catch(() => undefined);
  }

  /**
   * Milliseconds: the age of the oldest message not yet projected, over all partitions. While the broker
   * cannot be sampled, freshness is unknown, so the time since the last good sample counts as lag.
   */
  lagMs(now = Date.now()): number {
    const interval = this.config.PROJECTOR_LAG_SAMPLE_MS;
    let lag = 0;
    for (const partition of this.partitions.values()) lag = Math.max(lag, partition.ageMs(now));
    const unknownFor = now - (this.lastSampleAt ?? this.startedAt);
    if (this.lastSampleAt === undefined || unknownFor > 2 * interval) lag = Math.max(lag, unknownFor);
    return Math.round(lag);
  }

  private async tick(): Promise<void> {
    try {
      await withTimeout(this.sample(), Math.max(2000, this.config.PROJECTOR_LAG_SAMPLE_MS));
      this.failures = 0;
    } catch (error) {
      if (this.failures++ % 30 === 0) this.logger.warn({ err: error }, 'Could not sample the projection lag');
      await this.admin?.disconnect().catch(() => undefined);
      this.admin = undefined;
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.tick(), this.config.PROJECTOR_LAG_SAMPLE_MS);
  }

  private async sample(): Promise<void> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    const names = [this.topics.name(TOPICS.customerEvents), this.topics.name(TOPICS.customerChanges)];
    const groupId = this.config.PROJECTOR_GROUP_ID;
    const [committed, ...watermarks] = await Promise.all([
      this.admin.fetchOffsets({ groupId, topics: names }),
      ...names.map((topic) => this.admin!.fetchTopicOffsets(topic)),
    ]);
    const now = Date.now();
    names.forEach((topic, i) => {
      const committedOf = new Map(
        committed.find((c) => c.topic === topic)?.partitions.map((p) => [p.partition, BigInt(p.offset)]),
      );
      for (const { partition, high, low } of watermarks[i]) {
        const key = `${topic}/${partition}`;
        const lag = this.partitions.get(key) ?? new PartitionLag();
        this.partitions.set(key, lag);
        const offset = committedOf.get(partition);
        lag.observe(now, {
          high: BigInt(high),
          low: BigInt(low),
          committed: offset === undefined || offset < 0n ? null : offset,
        });
        const labels = { topic, partition: String(partition) };
        lagMessages.set({ ...labels, group: groupId }, lag.messages);
        lagSeconds.set(labels, lag.ageMs(now) / 1000);
      }
    });
    this.lastSampleAt = now;
  }
}
