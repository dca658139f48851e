import { Logger } from '@nestjs/common';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { ContractViolationError, dlqTopicOf } from '@app/contracts';
import { counter, gauge, histogram } from '@app/observability/metrics';
import { logTracedMessage } from '@app/observability/tracing';
import type { KafkaPublisher } from './kafka-publisher';

export interface ConsumedRecord<T> {
  value: T;
  message: KafkaMessage;
  topic: string;
  partition: number;
}

/** How one topic's messages are parsed and applied. `apply` must be idempotent: batches can be redelivered. */
export interface TopicHandler<T> {
  parse(raw: Buffer | null): T;
  apply(records: ConsumedRecord<T>[]): Promise<void>;
  /** An error that this record will always cause (bad data), as opposed to an outage worth retrying. */
  isPermanentError?(error: unknown): boolean;
}

export interface ConsumerRunnerOptions {
  groupId: string;
  /** Real topic name (prefix applied) → handler. */
  handlers: Map<string, TopicHandler<unknown>>;
  partitionsConsumedConcurrently?: number;
  fromBeginning?: boolean;
  /** How long the group waits for a silent member (a killed process) before giving its partitions away. */
  sessionTimeout?: number;
  /** At most a third of sessionTimeout (kafkajs heartbeats between batches, not from a thread of its own). */
  heartbeatInterval?: number;
}

/** KAFKA_SESSION_TIMEOUT_MS / KAFKA_HEARTBEAT_INTERVAL_MS defaults: a killed replica's partitions move in ~10 s. */
export const DEFAULT_SESSION_TIMEOUT_MS = 10000;
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 1000;

const batchSeconds = histogram('consumer_batch_duration_seconds', 'Time to apply one consumed batch', [
  'group',
  'topic',
]);
const batchSize = histogram(
  'consumer_batch_messages',
  'Messages per consumed batch',
  ['group', 'topic'],
  [1, 5, 10, 50, 100, 500, 1000, 5000, 10000],
);
const consumed = counter('consumer_messages_total', 'Messages applied', ['group', 'topic']);
const deadLettered = counter('consumer_dlq_messages_total', 'Messages sent to a DLQ', ['group', 'topic']);
const lag = gauge('consumer_lag_messages', 'High watermark minus the next offset, per partition', [
  'group',
  'topic',
  'partition',
]);

/**
 * Runs a consumer group with eachBatch: parse every message, send unparseable ones to `<topic>.dlq` with the
 * error in headers, apply the rest in one call, and only then resolve and commit the offsets. A failing
 * apply (database down) is retried by kafkajs with backoff, so consumption pauses and resumes without loss.
 */
export class ConsumerRunner {
  private readonly logger = new Logger(ConsumerRunner.name);
  private consumer?: Consumer;
  private stopped = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly publisher: KafkaPublisher,
    private readonly options: ConsumerRunnerOptions,
  ) {}

  /** Joins the group, retrying with backoff while Kafka is unreachable; resolves once consuming. */
  async start(): Promise<void> {
    this.stopped = false;
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        await this.startOnce();
        return;
      } catch (error) {
        await this.consumer?.disconnect().catch(() => undefined);
        this.consumer = undefined;
        this.logger.warn(
          { err: error, groupId: this.options.groupId, attempt },
          'Consumer could not start; retrying',
        );
        await new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** attempt, 10_000)));
      }
    }
  }

  private async startOnce(): Promise<void> {
    const sessionTimeout = this.options.sessionTimeout ?? DEFAULT_SESSION_TIMEOUT_MS;
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout,
      heartbeatInterval: Math.min(
        this.options.heartbeatInterval ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
        Math.floor(sessionTimeout / 3),
      ),
      maxBytesPerPartition: 2 * 1024 * 1024,
      maxWaitTimeInMs: 100,
      retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 10000 },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, ({ payload }) =>
      this.logger.error(
        { err: payload.error, restart: payload.restart, groupId: this.options.groupId },
        'Consumer crashed',
      ),
    );
    await consumer.connect();
    await consumer.subscribe({
      topics: [...this.options.handlers.keys()],
      fromBeginning: this.options.fromBeginning ?? true,
    });
    await consumer.run({
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachBatch: (payload) => this.onBatch(payload),
    });
  }

  /** Leaves the group after the batch in hand is applied and committed. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (!payload.isRunning() || payload.isStale() || batch.messages.length === 0) return;
    const handler = this.options.handlers.get(batch.topic);
    if (!handler) throw new Error(`No handler for topic ${batch.topic}`);
    const labels = { group: this.options.groupId, topic: batch.topic };
    const stopTimer = batchSeconds.startTimer(labels);

    const records: ConsumedRecord<unknown>[] = [];
    const poison: Array<{ message: KafkaMessage; error: unknown }> = [];
    for (const message of batch.messages) {
      try {
        records.push({
          value: handler.parse(message.value),
          message,
          topic: batch.topic,
          partition: batch.partition,
        });
      } catch (error) {
        poison.push({ message, error });
      }
    }
    if (records.length > 0) poison.push(...(await this.apply(handler, records)));
    if (poison.length > 0) await this.deadLetter(batch.topic, batch.partition, poison);

    payload.resolveOffset(batch.lastOffset());
    await payload.commitOffsetsIfNecessary();
    await payload.heartbeat();
    stopTimer();
    batchSize.observe(labels, batch.messages.length);
    consumed.inc(labels, batch.messages.length);
    const next = BigInt(batch.lastOffset()) + 1n;
    lag.set({ ...labels, partition: String(batch.partition) }, Number(BigInt(batch.highWatermark) - next));
  }

  /** Applies the batch; when it fails for a record's own fault, isolates that record and applies the others. */
  private async apply(
    handler: TopicHandler<unknown>,
    records: ConsumedRecord<unknown>[],
  ): Promise<Array<{ message: KafkaMessage; error: unknown }>> {
    try {
      await handler.apply(records);
      this.logTraced(records);
      return [];
    } catch (error) {
      if (!handler.isPermanentError?.(error)) throw error;
      if (records.length === 1) return [{ message: records[0].message, error }];
      const poison: Array<{ message: KafkaMessage; error: unknown }> = [];
      for (const record of records) poison.push(...(await this.apply(handler, [record])));
      return poison;
    }
  }

  /** One line per applied message that carries a trace, so an event can be followed across the apps. */
  private logTraced(records: ConsumedRecord<unknown>[]): void {
    for (const { message, topic, partition } of records) {
      logTracedMessage(this.logger, 'Message processed', message.headers, {
        group: this.options.groupId,
        topic,
        partition,
        offset: message.offset,
        key: message.key?.toString(),
      });
    }
  }

  private async deadLetter(
    topic: string,
    partition: number,
    poison: Array<{ message: KafkaMessage; error: unknown }>,
  ) {
    const failedAt = new Date().toISOString();
    const messages = poison.map(({ message, error }) => ({
      key: message.key,
      value: message.value,
      headers: {
        ...message.headers,
        'dlq-error-type': error instanceof ContractViolationError ? 'contract-violation' : 'processing-error',
        'dlq-error-message': (error instanceof Error ? error.message : String(error)).slice(0, 1000),
        'dlq-source-topic': topic,
        'dlq-source-partition': String(partition),
        'dlq-source-offset': message.offset,
        'dlq-consumer-group': this.options.groupId,
        'dlq-failed-at': failedAt,
      },
    }));
    // One produce request per chunk: a DLQ has one partition, and a record batch over the broker's
    // message.max.bytes (1 MB) would be refused on every retry, stalling the partition for good.
    for (const chunk of chunksOfBytes(messages, DLQ_CHUNK_BYTES))
      await this.publisher.publish(dlqTopicOf(topic), chunk);
    deadLettered.inc({ group: this.options.groupId, topic }, poison.length);
    this.logger.warn({ topic, partition, count: poison.length }, 'Messages sent to the DLQ');
  }
}

const DLQ_CHUNK_BYTES = 512 * 1024;

/** Splits messages into consecutive groups of at most `maxBytes` of keys and values (one oversized message alone). */
export function chunksOfBytes<M extends { key?: Buffer | string | null; value: Buffer | string | null }>(
  messages: M[],
  maxBytes: number,
): M[][] {
  const chunks: M[][] = [];
  let current: M[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = (message.value?.length ?? 0) + (message.key?.length ?? 0);
    if (current.length > 0 && bytes + size > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
