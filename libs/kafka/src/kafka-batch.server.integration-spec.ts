import { randomUUID } from 'node:crypto';
import { Controller, Module, UseFilters } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestMicroservice } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { ContractViolationError, dlqTopicOf, type TopicName } from '@app/contracts';
import { committedOffsets, kafkaClient, readTopic } from '@test/e2e/projector-fixtures';
import { eventually } from '@test/support/eventually';
import type { ConsumedRecord } from './consumer-runner';
import {
  type KafkaBatchContext,
  KafkaBatchErrors,
  type KafkaBatchPattern,
  KafkaBatchServer,
} from './kafka-batch.server';
import { KafkaPublisher } from './kafka-publisher';

type Value = { n: number };

const numbers: KafkaBatchPattern<Value> = {
  parse(raw) {
    const value = JSON.parse(raw!.toString()) as Value;
    if (typeof value.n !== 'number') throw new ContractViolationError('n', 'must be a number');
    return value;
  },
};

/** What the spec's handler does with each call: fail like an outage, wait for a gate, or apply. */
const script = {
  calls: 0,
  applied: [] as number[],
  partitions: [] as number[],
  gate: Promise.resolve(),
};

@Controller()
@UseFilters(KafkaBatchErrors)
class NumbersController {
  @EventPattern('numbers', numbers)
  async onNumbers(@Payload() records: ConsumedRecord<Value>[], @Ctx() context: KafkaBatchContext) {
    script.calls++;
    if (script.calls === 1) throw new Error('database down');
    await script.gate;
    // A permanent error for one record only: the server narrows it down through Nest's handler chain.
    if (records.some((r) => r.value.n === 13)) throw new ContractViolationError('n', '13 is refused');
    script.applied.push(...records.map((r) => r.value.n));
    script.partitions.push(context.getPartition());
  }
}

@Module({ controllers: [NumbersController] })
class NumbersModule {}

describe(`${KafkaBatchServer.name} on the real broker, booted by Nest`, () => {
  const topic = `${process.env.KAFKA_TOPIC_PREFIX}batch-server-${randomUUID()}`;
  const groupId = `batch-server-spec-${randomUUID()}`;
  let kafka: Kafka;
  let admin: Admin;
  let publisher: KafkaPublisher;
  let app: INestMicroservice;

  beforeAll(async () => {
    kafka = kafkaClient('batch-server-spec');
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [topic, dlqTopicOf(topic)].map((name) => ({ topic: name, numPartitions: 1 })),
      waitForLeaders: true,
    });
    publisher = new KafkaPublisher(kafka, { lingerMs: 2, maxBatchMessages: 1000, timeoutMs: 5000 });
  });

  afterAll(async () => {
    await app?.close();
    await publisher.onApplicationShutdown();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.deleteTopics({ topics: [topic, dlqTopicOf(topic)] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('retries an outage, commits only after the handler has returned, and dead-letters only poison', async () => {
    let open!: () => void;
    script.gate = new Promise<void>((resolve) => (open = resolve));
    await publisher.publish(
      topic,
      ['{"n":1}', '{"n":"x"}', '{"n":13}', '{"n":2}'].map((value) => ({ key: 'k', value })),
    );

    const server = new KafkaBatchServer(kafka, publisher, {
      groupId,
      topicOf: (pattern: TopicName) => (pattern === ('numbers' as TopicName) ? topic : 'unknown'),
      waitUntilConsuming: true,
    });
    app = await NestFactory.createMicroservice(NumbersModule, { strategy: server, logger: false });
    await app.listen();

    // The outage was retried and the handler now holds the batch: nothing is committed yet.
    await eventually(() => expect(script.calls).toBeGreaterThanOrEqual(2), 30_000);
    expect((await committedOffsets(admin, groupId, topic)).get(0)).toBe(-1n);

    open();
    await eventually(
      async () => expect((await committedOffsets(admin, groupId, topic)).get(0)).toBe(4n),
      30_000,
    );
    expect(script.applied).toEqual([1, 2]);
    expect(new Set(script.partitions)).toEqual(new Set([0]));

    const dead: KafkaMessage[] = await readTopic(dlqTopicOf(topic), (m) => m.length >= 2);
    expect(
      dead.map((m) => ({
        value: m.value!.toString(),
        type: m.headers!['dlq-error-type']!.toString(),
        offset: m.headers!['dlq-source-offset']!.toString(),
        group: m.headers!['dlq-consumer-group']!.toString(),
      })),
    ).toEqual([
      { value: '{"n":"x"}', type: 'contract-violation', offset: '1', group: groupId },
      { value: '{"n":13}', type: 'contract-violation', offset: '2', group: groupId },
    ]);
    expect(dead[1].headers!['dlq-error-message']!.toString()).toContain('13 is refused');
  });
});
