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
import { WakeableLoop } from '@app/runtime';

/** Any constant shared by all gateway replicas: the session holding it is the one relay. */
const RELAY_LOCK_ID = 7_246_001;
const BATCH_SIZE = 500;
const IDLE_POLL_MS = 1000;
const PURGE_EVERY_MS = 60_000;

interface OutboxRow {
  seq: string;
  event_id: string;
  topic: TopicName;
  message_key: string;
  payload: unknown;
  traceparent: string | null;
}

const published = counter('outbox_published_total', 'Outbox messages published to Kafka');
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
  private client?: Client;
  private lastPurge = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: GatewayEnv,
    private readonly publisher: KafkaPublisher,
    private readonly topics: TopicResolver,
  ) {}

  onApplicationBootstrap(): void {
    this.loop.start(() => this.run());
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  private async run(): Promise<void> {
    while (this.loop.running) {
      try {
        await this.session();
      } catch (error) {
        if (this.loop.running) this.logger.warn({ err: error }, 'Outbox relay session ended; retrying');
      } finally {
        await this.client?.end().catch(() => undefined);
        this.client = undefined;
      }
      if (this.loop.running) await this.loop.sleep(1000);
    }
  }

  private async session(): Promise<void> {
    const client = new Client({
      connectionString: this.config.DATABASE_URL,
      application_name: 'gateway-outbox-relay',
    });
    this.client = client;
    client.on('error', (error) => this.logger.warn({ err: error }, 'Outbox relay connection error'));
    client.on('notification', () => this.loop.wake());
    await client.connect();
    while (this.loop.running) {
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
        RELAY_LOCK_ID,
      ]);
      if (rows[0].locked) break;
      await this.loop.sleep(2000);
    }
    await client.query('LISTEN outbox');
    while (this.loop.running) {
      const count = await this.publishBatch(client);
      if (count < BATCH_SIZE) {
        await this.housekeeping(client);
        if (count === 0) await this.loop.sleep(IDLE_POLL_MS);
      }
    }
  }

  private async publishBatch(client: Client): Promise<number> {
    const { rows } = await client.query<OutboxRow>(
      'SELECT seq, event_id, topic, message_key, payload, traceparent FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1',
      [BATCH_SIZE],
    );
    if (rows.length === 0) return 0;
    const byTopic = new Map<TopicName, OutboxRow[]>();
    for (const row of rows) byTopic.set(row.topic, [...(byTopic.get(row.topic) ?? []), row]);
    for (const [topic, topicRows] of byTopic) {
      await this.publisher.publish(
        this.topics.name(topic),
        topicRows.map((row) => ({
          key: row.message_key,
          value: JSON.stringify(row.payload),
          headers: {
            'event-id': row.event_id,
            ...(row.traceparent ? { [TRACEPARENT_HEADER]: row.traceparent } : {}),
          },
        })),
      );
    }
    await client.query('UPDATE outbox SET published_at = now() WHERE seq = ANY($1::bigint[])', [
      rows.map((r) => r.seq),
    ]);
    published.inc(rows.length);
    return rows.length;
  }

  private async housekeeping(client: Client): Promise<void> {
    const { rows } = await client.query<{ n: string }>(
      'SELECT count(*) AS n FROM outbox WHERE published_at IS NULL',
    );
    backlog.set(Number(rows[0].n));
    if (Date.now() - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = Date.now();
    await client.query(`DELETE FROM outbox WHERE published_at < now() - interval '1 day'`);
  }
}
