import {
  type ArgumentsHost,
  Catch,
  type FactoryProvider,
  Logger,
  type RpcExceptionFilter,
} from '@nestjs/common';
import {
  BaseRpcContext,
  type CustomTransportStrategy,
  type MessageHandler,
  Server,
} from '@nestjs/microservices';
import type { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { lastValueFrom, type Observable, throwError } from 'rxjs';
import { ContractViolationError, dlqTopicOf, prefixedTopic, type TopicName } from '@app/contracts';
import { counter, gauge, histogram } from '@app/observability/metrics';
import { logTracedMessage } from '@app/observability/tracing';
import {
  chunksOfBytes,
  type ConsumedRecord,
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  DEFAULT_SESSION_TIMEOUT_MS,
} from './consumer-runner';
import { KafkaPublisher } from './kafka-publisher';
import { OffsetCommits } from './offset-commits';
import { KAFKA_CLIENT, KAFKA_OPTIONS, type KafkaOptions } from './kafka.options';

/**
 * What an `@EventPattern(topic, extras)` handler tells the server about its topic: how one message is parsed
 * and validated (a throw sends that message to the DLQ), and which errors of the handler are the records'
 * own fault (bad data: isolate and dead-letter them) rather than an outage worth retrying. A
 * `ContractViolationError` is always permanent.
 */
export interface KafkaBatchPattern<T = unknown> {
  parse(raw: Buffer | null): T;
  isPermanentError?(error: unknown): boolean;
}

/** `@Ctx()` of a batch handler: where the batch comes from. Each record carries its own message (headers, key, offset). */
export class KafkaBatchContext extends BaseRpcContext<
  [topic: string, partition: number, firstOffset: string, lastOffset: string, messages: KafkaMessage[]]
> {
  /** The real topic name (prefix applied). */
  getTopic(): string {
    return this.args[0];
  }
  getPartition(): number {
    return this.args[1];
  }
  getFirstOffset(): string {
    return this.args[2];
  }
  getLastOffset(): string {
    return this.args[3];
  }
  /** Headers of every message of the batch, in offset order (poison messages included). */
  getHeaders(): Array<IHeaders | undefined> {
    return this.args[4].map((m) => m.headers);
  }
}

/**
 * Lets a batch handler's own error reach the server unchanged (Nest's default RPC filter would replace it by
 * `{ status: 'error' }`), so the server can tell bad data from an outage. Put it on every batch controller.
 */
@Catch()
export class KafkaBatchErrors implements RpcExceptionFilter {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}

export interface KafkaBatchServerOptions {
  groupId: string;
  /**
   * Real topic of a pattern. Patterns are the contract's topic names (`TOPICS.…`, no prefix); by default the
   * server applies `topicPrefix` (KAFKA_TOPIC_PREFIX), so handlers never see the prefix in their patterns.
   */
  topicPrefix?: string;
  topicOf?: (pattern: TopicName) => string;
  partitionsConsumedConcurrently?: number;
  fromBeginning?: boolean;
  /** How long the group waits for a silent member (a killed process) before giving its partitions away. */
  sessionTimeout?: number;
  /** At most a third of sessionTimeout (kafkajs heartbeats between batches, not from a thread of its own). */
  heartbeatInterval?: number;
  /**
   * `listen()` reports ready at once and joins the group in the background (retrying while Kafka is down) so
   * a hybrid app serves HTTP meanwhile; `true` waits until consuming (a one-off run such as the rebuild).
   */
  waitUntilConsuming?: boolean;
}

/** Consumed offsets are committed at most this often (`OffsetCommits`): a group's position trails by ≤ ~0.1 s. */
const COMMIT_INTERVAL_MS = 100;

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

type Poison = { message: KafkaMessage; error: unknown };

interface Route {
  handler: MessageHandler;
  pattern: KafkaBatchPattern;
}

/**
 * Nest transport for the consumer groups: kafkajs `eachBatch`. For each batch it parses every message with its
 * pattern's `parse`, sends unparseable ones to `<topic>.dlq` with the error in headers, hands the rest to the
 * `@EventPattern` handler in one call (the handler applies them atomically), and only once that call has
 * resolved hands the offsets to `OffsetCommits`, which commits them in the background. A failing handler (database down) is retried by kafkajs with
 * backoff; a permanent error is narrowed down record by record and only the guilty records are dead-lettered.
 * `close()` leaves the group after the batch in hand is applied and committed.
 */
export class KafkaBatchServer extends Server implements CustomTransportStrategy {
  protected override readonly logger = new Logger(KafkaBatchServer.name);
  private consumer?: Consumer;
  private commits?: OffsetCommits;
  private stopped = false;
  private routes = new Map<string, Route>();

  constructor(
    private readonly kafka: Kafka,
    private readonly publisher: KafkaPublisher,
    private readonly options: KafkaBatchServerOptions,
  ) {
    super();
  }

  listen(callback: (error?: unknown) => void): void {
    if (!this.options.waitUntilConsuming) {
      // Not awaited: the HTTP API serves while the consumer joins its group (and retries if Kafka is down).
      this.start().catch((error: unknown) =>
        this.logger.error({ err: error, groupId: this.options.groupId }, 'Consumer failed to start'),
      );
      callback();
      return;
    }
    this.start().then(() => callback(), callback);
  }

  async close(): Promise<void> {
    await this.stop();
  }

  on(): never {
    throw new Error('KafkaBatchServer does not emit events');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  /** Joins the group, retrying with backoff while Kafka is unreachable; resolves once consuming. */
  async start(): Promise<void> {
    this.routes = this.routesOf(this.getHandlers());
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

  /** Leaves the group after the batch in hand is applied and committed. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.commits?.flush();
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }

  private routesOf(handlers: Map<string, MessageHandler>): Map<string, Route> {
    const routes = new Map<string, Route>();
    for (const [pattern, handler] of handlers) {
      const extras = handler.extras as Partial<KafkaBatchPattern> | undefined;
      if (typeof extras?.parse !== 'function')
        throw new Error(`@EventPattern('${pattern}') needs a parse function in its extras`);
      const topic = this.options.topicOf
        ? this.options.topicOf(pattern as TopicName)
        : prefixedTopic(this.options.topicPrefix ?? '', pattern as TopicName);
      routes.set(topic, { handler, pattern: extras as KafkaBatchPattern });
    }
    return routes;
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
    this.commits = new OffsetCommits(
      (offsets) => consumer.commitOffsets(offsets),
      (error, offsets) =>
        this.logger.warn(
          { err: error, groupId: this.options.groupId, offsets },
          'Could not commit consumed offsets; those messages will be consumed again',
        ),
      COMMIT_INTERVAL_MS,
    );
    consumer.on(consumer.events.CRASH, ({ payload }) =>
      this.logger.error(
        { err: payload.error, restart: payload.restart, groupId: this.options.groupId },
        'Consumer crashed',
      ),
    );
    await consumer.connect();
    await consumer.subscribe({
      topics: [...this.routes.keys()],
      fromBeginning: this.options.fromBeginning ?? true,
    });
    await consumer.run({
      eachBatchAutoResolve: false,
      // Offsets are committed off the batch path, by OffsetCommits, and only once applied.
      autoCommit: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachBatch: (payload) => this.onBatch(payload),
    });
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (!payload.isRunning() || payload.isStale() || batch.messages.length === 0) return;
    const route = this.routes.get(batch.topic);
    if (!route) throw new Error(`No handler for topic ${batch.topic}`);
    const labels = { group: this.options.groupId, topic: batch.topic };
    const stopTimer = batchSeconds.startTimer(labels);
    const context = new KafkaBatchContext([
      batch.topic,
      batch.partition,
      batch.firstOffset() ?? batch.lastOffset(),
      batch.lastOffset(),
      batch.messages,
    ]);

    const records: ConsumedRecord<unknown>[] = [];
    const poison: Poison[] = [];
    for (const message of batch.messages) {
      try {
        records.push({
          value: route.pattern.parse(message.value),
          message,
          topic: batch.topic,
          partition: batch.partition,
        });
      } catch (error) {
        poison.push({ message, error });
      }
    }
    if (records.length > 0) poison.push(...(await this.apply(route, records, context)));
    if (poison.length > 0) await this.deadLetter(batch.topic, batch.partition, poison);

    payload.resolveOffset(batch.lastOffset());
    const next = BigInt(batch.lastOffset()) + 1n;
    if (this.stopped) await this.commitBeforeLeaving(payload, next.toString());
    else void this.commits!.offer(batch.topic, batch.partition, next.toString());
    await payload.heartbeat();
    stopTimer();
    batchSize.observe(labels, batch.messages.length);
    consumed.inc(labels, batch.messages.length);
    lag.set({ ...labels, partition: String(batch.partition) }, Number(BigInt(batch.highWatermark) - next));
  }

  /**
   * Leaving the group: the batch's offsets (and any still pending) are committed before it is left, through the
   * batch's own `commitOffsetsIfNecessary`, the one commit kafkajs still makes once it has stopped running.
   */
  private async commitBeforeLeaving(payload: EachBatchPayload, next: string): Promise<void> {
    const offsets = this.commits!.takeWith(payload.batch.topic, payload.batch.partition, next);
    const topics = [...new Set(offsets.map((o) => o.topic))].map((topic) => ({
      topic,
      partitions: offsets
        .filter((o) => o.topic === topic)
        .map(({ partition, offset }) => ({ partition, offset })),
    }));
    await payload
      .commitOffsetsIfNecessary({ topics })
      .catch((error: unknown) =>
        this.logger.warn(
          { err: error, groupId: this.options.groupId, offsets },
          'Could not commit consumed offsets; those messages will be consumed again',
        ),
      );
  }

  /** Applies the records; when that fails for a record's own fault, isolates that record and applies the others. */
  private async apply(
    route: Route,
    records: ConsumedRecord<unknown>[],
    context: KafkaBatchContext,
  ): Promise<Poison[]> {
    try {
      await this.invoke(route.handler, records, context);
      this.logTraced(records);
      return [];
    } catch (error) {
      if (!(error instanceof ContractViolationError) && !route.pattern.isPermanentError?.(error)) throw error;
      if (records.length === 1) return [{ message: records[0].message, error }];
      const poison: Poison[] = [];
      for (const record of records) poison.push(...(await this.apply(route, [record], context)));
      return poison;
    }
  }

  /** Calls the handler as Nest's own servers do, and waits for its Promise or Observable to complete. */
  private async invoke(
    handler: MessageHandler,
    records: ConsumedRecord<unknown>[],
    context: KafkaBatchContext,
  ): Promise<void> {
    for (let next: MessageHandler | undefined = handler; next; next = next.next)
      await lastValueFrom(this.transformToObservable(await next(records, context)), {
        defaultValue: undefined,
      });
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

  private async deadLetter(topic: string, partition: number, poison: Poison[]) {
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

/**
 * The app's consumer group as a provider (token `KafkaBatchServer`), built from the app's Kafka client,
 * publisher (for the DLQ) and KAFKA_TOPIC_PREFIX; main.ts connects it with `connectMicroservice({ strategy })`.
 */
export function kafkaBatchServerProvider(
  options: Omit<KafkaBatchServerOptions, 'topicPrefix' | 'topicOf'>,
): FactoryProvider<KafkaBatchServer> {
  return {
    provide: KafkaBatchServer,
    useFactory: (kafka: Kafka, publisher: KafkaPublisher, kafkaOptions: KafkaOptions) =>
      new KafkaBatchServer(kafka, publisher, {
        ...options,
        topicPrefix: kafkaOptions.topicPrefix,
      }),
    inject: [KAFKA_CLIENT, KafkaPublisher, KAFKA_OPTIONS],
  };
}
