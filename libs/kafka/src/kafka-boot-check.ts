import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Admin } from 'kafkajs';
import { createKafkaClient } from './kafka-client';
import { KAFKA_OPTIONS, type KafkaOptions } from './kafka.options';
import { KafkaSetupError, setupProblemOf } from './kafka-setup.error';
import { withTimeout } from './with-timeout';

const CHECK_TIMEOUT_MS = 8000;

/**
 * At boot, before serving: the credentials work, the app's topics exist and (in production) are replicated
 * three times. A cluster that does not answer is not fatal — the apps start while Kafka is down and recover
 * by themselves — but one that answers "no" stops the boot with a message naming the setting to fix.
 */
@Injectable()
export class KafkaBootCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger(KafkaBootCheck.name);

  constructor(@Inject(KAFKA_OPTIONS) private readonly options: KafkaOptions) {}

  async onApplicationBootstrap(): Promise<void> {
    const topics = this.options.requiredTopics;
    if (!topics?.length) return;
    const admin = createKafkaClient(this.options, {
      retry: { retries: 2, initialRetryTime: 300, maxRetryTime: 1000 },
    }).admin();
    try {
      const problems = await withTimeout(this.inspect(admin, topics), CHECK_TIMEOUT_MS);
      if (problems.missing.length > 0)
        throw new KafkaSetupError(
          `Topics missing on KAFKA_BROKERS=${this.options.brokers.join(',')}: ${problems.missing.join(', ')}. ` +
            'Create them with `npm run cli -- topics create` (KAFKA_TOPIC_PREFIX must match).',
        );
      for (const { topic, replication } of problems.underReplicated)
        this.logger.warn(
          { topic, replication },
          'Topic has fewer than 3 replicas: a lost broker can lose acknowledged events or stop writes',
        );
    } catch (error) {
      if (error instanceof KafkaSetupError) throw error;
      const problem = setupProblemOf(error);
      if (problem) throw new KafkaSetupError(problem);
      this.logger.warn(
        { err: error },
        'Could not check the Kafka topics at boot (cluster unreachable); starting anyway',
      );
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  private async inspect(
    admin: Admin,
    topics: string[],
  ): Promise<{ missing: string[]; underReplicated: Array<{ topic: string; replication: number }> }> {
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    const underReplicated: Array<{ topic: string; replication: number }> = [];
    const present = topics.filter((topic) => existing.has(topic));
    if (this.options.production && present.length > 0) {
      const metadata = await admin.fetchTopicMetadata({ topics: present });
      for (const { name, partitions } of metadata.topics) {
        const replication = Math.min(...partitions.map((p) => p.replicas.length));
        if (replication < 3) underReplicated.push({ topic: name, replication });
      }
    }
    return { missing, underReplicated };
  }
}
