import { randomBytes } from 'node:crypto';
import { logLevel, type Consumer, type Kafka, type KafkaMessage } from 'kafkajs';
import { prefixedTopic, TOPICS } from '@app/contracts';
import { eventually } from '@test/support/eventually';
import { freePort } from '@test/support/free-port';
import { BrokerUnavailableError } from './broker-unavailable.error';
import { KafkaPublisher } from './kafka-publisher';
import { createKafkaClient } from './kafka.module';

const brokers = process.env.KAFKA_BROKERS!.split(',');
const topic = prefixedTopic(process.env.KAFKA_TOPIC_PREFIX!, TOPICS.customerEvents);

describe(`${KafkaPublisher.name} against the real broker`, () => {
  let kafka: Kafka;
  let consumer: Consumer;
  const received: KafkaMessage[] = [];

  beforeAll(async () => {
    kafka = createKafkaClient({ brokers, clientId: 'publisher-spec', topicPrefix: '' });
    consumer = kafka.consumer({ groupId: `publisher-spec-${randomBytes(4).toString('hex')}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: ({ message }) => Promise.resolve(void received.push(message)) });
  });

  afterAll(async () => {
    await consumer.disconnect();
  });

  it('resolves only after the broker has the messages, each keyed and readable', async () => {
    const sut = new KafkaPublisher(kafka, { lingerMs: 2, maxBatchMessages: 1000, timeoutMs: 5000 });
    const marker = randomBytes(6).toString('hex');
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        sut.publish(topic, [{ key: `c_${i % 3}`, value: `${marker}-${i}` }]),
      ),
    );
    await eventually(() => {
      const mine = received.filter((m) => m.value?.toString().startsWith(marker));
      expect(mine).toHaveLength(20);
    });
    await sut.onApplicationShutdown();
  });

  it('keeps the order of one key within a partition', async () => {
    const sut = new KafkaPublisher(kafka, { lingerMs: 1, maxBatchMessages: 1000, timeoutMs: 5000 });
    const key = `c_${randomBytes(4).toString('hex')}`;
    for (let i = 0; i < 10; i++) await sut.publish(topic, [{ key, value: String(i) }]);
    await eventually(() => {
      const mine = received.filter((m) => m.key?.toString() === key).map((m) => Number(m.value?.toString()));
      expect(mine).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });
    await sut.onApplicationShutdown();
  });

  it('rejects with BrokerUnavailableError within its timeout when no broker answers', async () => {
    const port = await freePort();
    const unreachable = createKafkaClient({
      brokers: [`127.0.0.1:${port}`],
      clientId: 'down-spec',
      topicPrefix: '',
    });
    (unreachable as unknown as { logger: () => { setLogLevel: (l: logLevel) => void } })
      .logger()
      .setLogLevel(logLevel.NOTHING);
    const sut = new KafkaPublisher(unreachable, { lingerMs: 0, maxBatchMessages: 1000, timeoutMs: 1500 });
    const started = Date.now();
    await expect(sut.publish(topic, [{ value: 'x' }])).rejects.toBeInstanceOf(BrokerUnavailableError);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
