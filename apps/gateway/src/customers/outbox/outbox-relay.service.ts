import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Client } from 'pg';
import type { TopicName } from '@app/contracts';
import { APP_CONFIG, type GatewayEnv } from '@app/config';
import { KafkaPublisher, TopicResolver } from '@app/kafka';
import { counter, gauge } from '@app/observability/metrics';
import { TRACEPARENT_HEADER } from '@app/observability/tracing';
import { AtMostEvery, WakeableLoop } from '@app/runtime';
import { type OutboxMessage, OutboxRepository } from './outbox.repository';

/** Any constant shared by all gateway replicas: the session holding it is the one relay. */
const RELAY_LOCK_ID = 7_246_001;
const BATCH_SIZE = 500;
const IDLE_POLL_MS = 1000;
const SESSION_RETRY_MS = 1000;
const PURGE_EVERY_MS = 60_000;
const GAUGE_EVERY_MS = 5_000;

const publishedTotal = counter('outbox_published_total', 'Outbox messages published to Kafka');
const backlog = gauge('outbox_backlog_messages', 'Outbox messages not yet published');

/**
 * Publishes outbox rows to Kafka in commit order and marks them published. One relay at a time across all
 * replicas (a session advisory lock), so a customer's changes reach its partition in order. A crash between
 * publish and mark republishes the batch on restart: consumers dedupe on the event id.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  /** Woken by NOTIFY outbox (also one that arrived while the relay was busy). */
  private readonly loop = new WakeableLoop();
  private readonly purging = new AtMostEvery(PURGE_EVERY_MS);
  private readonly gauging = new AtMostEvery(GAUGE_EVERY_MS);

  constructor(
    @Inject(APP_CONFIG) private readonly config: GatewayEnv,
    private readonly outbox: OutboxRepository,
    private readonly publisher: KafkaPublisher,
    private readonly topics: TopicResolver,
  ) {}

  /** Each round is one database session, for as long as it lasts; a lost one is replaced a second later. */
  onApplicationBootstrap(): void {
    this.loop.startRounds({
      round: () => this.session(),
      retryAfterMs: () => SESSION_RETRY_MS,
      logger: this.logger,
      failureMessage: 'Outbox relay session ended; retrying',
    });
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  private async session(): Promise<number> {
    const client = new Client({
      connectionString: this.config.DATABASE_URL,
      application_name: 'gateway-outbox-relay',
    });
    client.on('error', (error) => this.logger.warn({ err: error }, 'Outbox relay connection error'));
    client.on('notification', () => this.loop.wake());
    try {
      await client.connect();
      while (this.loop.running) {
        const { rows } = await client.query<{ locked: boolean }>(
          'SELECT pg_try_advisory_lock($1) AS locked',
          [RELAY_LOCK_ID],
        );
        if (rows[0].locked) break;
        await this.loop.sleep(2000);
      }
      await client.query('LISTEN outbox');
      // A batch is marked published by the statement that reads the next one.
      let published: OutboxMessage[] = [];
      try {
        while (this.loop.running) {
          const next = await this.outbox.markPublishedAndReadNextAcrossWorkspaces(
            client,
            published,
            BATCH_SIZE,
          );
          publishedTotal.inc(published.length);
          published = [];
          if (next.length < BATCH_SIZE) await this.housekeeping(client);
          if (next.length === 0) {
            await this.loop.sleep(IDLE_POLL_MS);
            continue;
          }
          await this.publish(next);
          published = next;
        }
      } finally {
        // Stopping or failing: the last batch is marked if the session still can; if not, the next relay
        // publishes it again (consumers dedupe on the event id).
        const last = published;
        if (last.length > 0) {
          await this.outbox.markPublishedAcrossWorkspaces(client, last).then(
            () => publishedTotal.inc(last.length),
            () => undefined,
          );
        }
      }
      return SESSION_RETRY_MS;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  private async publish(messages: OutboxMessage[]): Promise<void> {
    const byTopic = new Map<TopicName, OutboxMessage[]>();
    for (const message of messages) {
      byTopic.set(message.topic, [...(byTopic.get(message.topic) ?? []), message]);
    }
    for (const [topic, topicMessages] of byTopic) {
      await this.publisher.publish(
        this.topics.name(topic),
        topicMessages.map((message) => ({
          key: message.key,
          value: JSON.stringify(message.payload),
          headers: {
            'event-id': message.eventId,
            ...(message.traceparent ? { [TRACEPARENT_HEADER]: message.traceparent } : {}),
          },
        })),
      );
    }
  }

  private async housekeeping(session: Client): Promise<void> {
    if (this.gauging.due()) backlog.set(await this.outbox.countUnpublishedAcrossWorkspaces(session));
    if (this.purging.due()) await this.outbox.purgePublishedAcrossWorkspaces(session);
  }
}
