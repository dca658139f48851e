import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { type Kafka, type Message, type Producer, type TopicMessages } from 'kafkajs';
import { histogram } from '@app/observability/metrics';
import { RepeatedFailureLog } from '@app/observability/repeated-failure.log';
import {
  currentTrace,
  formatTraceparent,
  runOutsideTrace,
  type TraceContext,
  tracedMessageLog,
  withTraceHeader,
} from '@app/observability/tracing';
import { BrokerUnavailableError } from './broker-unavailable.error';
import { KAFKA_CLIENT } from './kafka.options';
import { rememberingKeyPartitioner } from './key-partitioner';
import { Linger } from './linger';
import { withTimeout } from './with-timeout';

export interface PublisherOptions {
  /** How long a publish may wait for others to share its round trip (kafkajs has no linger of its own). */
  lingerMs: number;
  /** A queue this large is sent at once, without waiting for the linger. */
  maxBatchMessages: number;
  /** Bounded wait for the broker's acknowledgement; past it the caller gets BrokerUnavailableError. */
  timeoutMs: number;
}

export const PUBLISHER_OPTIONS = Symbol('PUBLISHER_OPTIONS');

interface Pending {
  topic: string;
  messages: Message[];
  resolve: () => void;
  reject: (error: Error) => void;
}

const produceSeconds = histogram(
  'kafka_produce_duration_seconds',
  'Time from send to acks=all acknowledgement',
  ['outcome'],
);
const produceBatchSize = histogram(
  'kafka_produce_batch_messages',
  'Messages per produce request',
  [],
  [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000],
);

/**
 * One producer per process. Every publish is awaited until the broker acknowledged with acks=all (all in-sync
 * replicas have it), so an HTTP 2xx never precedes durability. Concurrent publishes are micro-batched into
 * one produce request: callers that arrive within `lingerMs` share a round trip.
 */
@Injectable()
export class KafkaPublisher implements OnApplicationShutdown {
  private readonly logger = new Logger(KafkaPublisher.name);
  /** A broker that is down fails every produce request: one line with the stack, then a count per minute. */
  private readonly failures = new RepeatedFailureLog(this.logger);
  private readonly producer: Producer;
  private connecting?: Promise<void>;
  private readonly linger: Linger<Pending>;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    @Inject(KAFKA_CLIENT) kafka: Kafka,
    @Inject(PUBLISHER_OPTIONS) private readonly options: PublisherOptions,
  ) {
    this.linger = new Linger({ lingerMs: options.lingerMs, maxWeight: options.maxBatchMessages }, (batch) =>
      this.flush(batch),
    );
    this.producer = kafka.producer({
      createPartitioner: rememberingKeyPartitioner,
      allowAutoTopicCreation: false,
      retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1000 },
    });
  }

  /**
   * Resolves once every message is acknowledged by the broker; rejects with BrokerUnavailableError otherwise.
   * Published on behalf of a trace (`trace`, by default the one of the request being handled), each message
   * carries that trace's `traceparent` header.
   */
  publish(
    topic: string,
    messages: Message[],
    trace: TraceContext | undefined = currentTrace(),
  ): Promise<void> {
    if (messages.length === 0) return Promise.resolve();
    const header = trace && formatTraceparent(trace);
    const traced = header ? messages.map((message) => withTraceHeader(message, header)) : messages;
    return new Promise<void>((resolve, reject) => {
      this.linger.push({ topic, messages: traced, resolve, reject }, messages.length);
    });
  }

  private flush(batch: Pending[]): void {
    // One produce request serves many callers: it runs (and logs) outside the trace of whichever came first.
    const sending = runOutsideTrace(() => this.send(batch));
    this.inFlight.add(sending);
    void sending.finally(() => this.inFlight.delete(sending));
  }

  private async send(batch: Pending[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const { topic, messages } of batch) {
      const list = byTopic.get(topic);
      if (list) list.push(...messages);
      else byTopic.set(topic, [...messages]);
    }
    const topicMessages: TopicMessages[] = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
    const total = topicMessages.reduce((sum, t) => sum + t.messages.length, 0);
    const stopTimer = produceSeconds.startTimer();
    try {
      await withTimeout(this.connectAndSend(topicMessages), this.options.timeoutMs);
      stopTimer({ outcome: 'acked' });
      produceBatchSize.observe(total);
      for (const pending of batch) pending.resolve();
      this.logTraced(batch);
    } catch (error) {
      stopTimer({ outcome: 'failed' });
      this.failures.warn({ err: error, messages: total }, 'Kafka publish failed');
      const failure = new BrokerUnavailableError(error);
      for (const pending of batch) pending.reject(failure);
    }
  }

  private logTraced(batch: Pending[]): void {
    const log = tracedMessageLog(this.logger, 'Message published');
    for (const { topic, messages } of batch) {
      for (const message of messages) log(message.headers, () => ({ topic, key: message.key?.toString() }));
    }
  }

  private async connectAndSend(topicMessages: TopicMessages[]): Promise<void> {
    await this.connect();
    await this.producer.sendBatch({ topicMessages, acks: -1, timeout: this.options.timeoutMs });
  }

  private connect(): Promise<void> {
    this.connecting ??= this.producer.connect().catch((error: unknown) => {
      // Let the next publish try again: a broker that comes back must not need a restart.
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  /** After the HTTP server stopped taking requests: send what is queued, wait for acks, disconnect. */
  async onApplicationShutdown(): Promise<void> {
    this.linger.flush();
    await Promise.allSettled([...this.inFlight]);
    await this.producer.disconnect().catch(() => undefined);
    this.failures.flush();
  }
}
