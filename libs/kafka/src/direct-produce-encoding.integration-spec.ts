import { randomBytes } from 'node:crypto';
import { Kafka, type KafkaMessage, logLevel, type Message } from 'kafkajs';
import { eventually } from '@test/support/eventually';
import { withKafkaAdmin } from '@test/support/kafka-admin';
import { type ProduceRequestArgs } from './direct-produce-encoding';

const V3_REQUEST = 'kafkajs/src/protocol/requests/produce/v3/request';
/** Produce requests this file's kafkajs encoded with encodeProduceRequest. */
let encodedDirectly = 0;

// kafkajs loads its later produce requests with the v3 request as the apps' install makes them (jest keeps its
// own module registry, so the install's `require.cache` does not reach the kafkajs imported here).
jest.mock('kafkajs/src/protocol/requests/produce/v3/request', () => {
  const direct = jest.requireActual<typeof import('./direct-produce-encoding')>('./direct-produce-encoding');
  const wrapped = direct.directProduceRequest(jest.requireActual(V3_REQUEST));
  return (args: ProduceRequestArgs) => {
    if (direct.fitsDirectEncoding(args)) encodedDirectly++;
    return wrapped(args);
  };
});

const brokers = process.env.KAFKA_BROKERS!.split(',');

describe('produce requests encoded in one buffer, against the real broker', () => {
  const topic = `${process.env.KAFKA_TOPIC_PREFIX!}direct-encoding-${randomBytes(3).toString('hex')}`;
  const kafka = new Kafka({ clientId: 'direct-encoding-spec', brokers, logLevel: logLevel.NOTHING });

  beforeAll(() =>
    withKafkaAdmin(brokers, (admin) =>
      admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3 }] }),
    ),
  );
  afterAll(() => withKafkaAdmin(brokers, (admin) => admin.deleteTopics({ topics: [topic] })));

  it('the broker takes the batches (its CRC check included) and consumers read every field back', async () => {
    const messages: Message[] = Array.from({ length: 600 }, (_, n) => ({
      partition: n % 3,
      key: n % 7 === 0 ? null : n % 2 ? `c_${n}` : Buffer.from(`b_${n}`),
      value:
        n % 11 === 0
          ? null
          : n % 5 === 0
            ? randomBytes(n % 300)
            : `{"n":${n},"text":"${'é🙂'.repeat(n % 90)}"}`,
      headers:
        n % 4 === 0
          ? undefined
          : {
              traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`,
              many: ['a', Buffer.from([n % 256])],
            },
    }));
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const before = encodedDirectly;
    await producer.send({ topic, messages: messages.slice(0, 100), acks: -1 });
    await producer.sendBatch({ topicMessages: [{ topic, messages: messages.slice(100) }], acks: -1 });
    await producer.disconnect();
    expect(encodedDirectly - before).toBeGreaterThanOrEqual(2);

    const received: KafkaMessage[][] = [[], [], []];
    const consumer = kafka.consumer({ groupId: `direct-encoding-${randomBytes(4).toString('hex')}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ partition, message }) => Promise.resolve(void received[partition].push(message)),
    });
    try {
      await eventually(() => expect(received.flat()).toHaveLength(messages.length));
    } finally {
      await consumer.disconnect();
    }
    for (let partition = 0; partition < 3; partition++) {
      const sent = messages.filter((m) => m.partition === partition);
      const got = received[partition];
      expect(got.map((m) => m.key?.toString('hex') ?? null)).toEqual(sent.map((m) => hexOf(m.key)));
      expect(got.map((m) => m.value?.toString('hex') ?? null)).toEqual(sent.map((m) => hexOf(m.value)));
      expect(got.map((m) => headersHex(m.headers))).toEqual(sent.map((m) => headersHex(m.headers)));
      expect(got.map((m) => Number(m.offset))).toEqual(sent.map((_, i) => i));
      for (const m of got) expect(Math.abs(Number(m.timestamp) - Date.now())).toBeLessThan(120_000);
    }
  });
});

const hexOf = (bytes: string | Buffer | null | undefined): string | null =>
  bytes == null ? null : Buffer.from(bytes).toString('hex');

/** Headers as name → hex values, a repeated name as its values in order (how consumers read them back). */
function headersHex(headers: Message['headers']): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {}))
    out[name] = (Array.isArray(value) ? value : [value]).map((one) => hexOf(one as Buffer | string)!);
  return out;
}
