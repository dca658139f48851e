import type { MessageHandler } from '@nestjs/microservices';
import type { EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { of } from 'rxjs';
import { ContractViolationError } from '@app/contracts';
import type { ConsumedRecord } from './consumer-runner';
import { KafkaBatchContext, KafkaBatchServer, type KafkaBatchPattern } from './kafka-batch.server';
import type { KafkaPublisher } from './kafka-publisher';

type Value = { n: number };

const pattern: KafkaBatchPattern<Value> = {
  parse(raw) {
    const value = JSON.parse(raw!.toString()) as Value;
    if (typeof value.n !== 'number') throw new ContractViolationError('n', 'must be a number');
    return value;
  },
};

/** A stub kafkajs consumer (unit tests only: the integration spec runs against the real broker). */
function stubKafka() {
  const calls: string[] = [];
  let eachBatch: ((payload: EachBatchPayload) => Promise<void>) | undefined;
  const consumer = {
    events: { CRASH: 'consumer.crash' },
    on: jest.fn(),
    connect: jest.fn(() => Promise.resolve()),
    subscribe: jest.fn(() => Promise.resolve()),
    run: jest.fn((config: { eachBatch: (payload: EachBatchPayload) => Promise<void> }) => {
      eachBatch = config.eachBatch;
      return Promise.resolve();
    }),
    disconnect: jest.fn(() => {
      calls.push('disconnect');
      return Promise.resolve();
    }),
    commitOffsets: jest.fn(() => {
      calls.push('commit');
      return Promise.resolve();
    }),
  };
  const published: Array<{
    topic: string;
    messages: Array<{ value: unknown; headers: Record<string, unknown> }>;
  }> = [];
  const publisher = {
    publish: jest.fn(
      (topic: string, messages: Array<{ value: unknown; headers: Record<string, unknown> }>) => {
        published.push({ topic, messages });
        return Promise.resolve();
      },
    ),
  } as unknown as KafkaPublisher;
  const deliver = (topic: string, values: string[]) => {
    const messages = values.map(
      (value, i) =>
        ({
          offset: String(10 + i),
          key: Buffer.from('k'),
          value: Buffer.from(value),
          headers: {},
        }) as KafkaMessage,
    );
    const payload = {
      batch: {
        topic,
        partition: 2,
        messages,
        highWatermark: '20',
        firstOffset: () => messages[0].offset,
        lastOffset: () => messages[messages.length - 1].offset,
      },
      isRunning: () => true,
      isStale: () => false,
      resolveOffset: jest.fn((offset: string) => calls.push(`resolve ${offset}`)),
      heartbeat: jest.fn(() => Promise.resolve()),
    };
    return eachBatch!(payload as unknown as EachBatchPayload);
  };
  return {
    kafka: { consumer: () => consumer } as unknown as Kafka,
    consumer,
    publisher,
    published,
    calls,
    deliver,
  };
}

function serverWith(
  handler: (records: ConsumedRecord<Value>[], context: KafkaBatchContext) => unknown,
  extras: KafkaBatchPattern<Value> = pattern,
) {
  const stub = stubKafka();
  const sut = new KafkaBatchServer(stub.kafka, stub.publisher, { groupId: 'g', topicPrefix: 'pre-' });
  sut.addHandler('numbers.v1', handler as unknown as MessageHandler, true, extras);
  return { sut, ...stub };
}

const listen = (sut: KafkaBatchServer) => new Promise<void>((resolve) => sut.listen(() => resolve()));

describe(KafkaBatchServer.name, () => {
  it('subscribes to the pattern with KAFKA_TOPIC_PREFIX applied, with the session settings', async () => {
    const { sut, consumer } = serverWith(() => Promise.resolve());
    await sut.start();
    expect(consumer.subscribe).toHaveBeenCalledWith({ topics: ['pre-numbers.v1'], fromBeginning: true });
    expect(consumer.run).toHaveBeenCalledWith(expect.objectContaining({ eachBatchAutoResolve: false }));
  });

  it('hands the parsed batch and its context to the handler, and commits only once the handler has resolved', async () => {
    let finish!: () => void;
    const seen: Array<{ values: number[]; partition: number; first: string; last: string }> = [];
    const { sut, calls, deliver } = serverWith((records, context) => {
      seen.push({
        values: records.map((r) => r.value.n),
        partition: context.getPartition(),
        first: context.getFirstOffset(),
        last: context.getLastOffset(),
      });
      calls.push('handler');
      return new Promise<void>((resolve) => (finish = resolve));
    });
    await listen(sut);
    await new Promise((resolve) => setImmediate(resolve));
    const batch = deliver('pre-numbers.v1', ['{"n":1}', '{"n":2}']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual(['handler']);
    finish();
    await batch;
    expect(calls).toEqual(['handler', 'resolve 11', 'commit']);
    expect(seen).toEqual([{ values: [1, 2], partition: 2, first: '10', last: '11' }]);
  });

  it('waits for a handler that answers with an Observable', async () => {
    const { sut, calls, deliver } = serverWith(() => {
      calls.push('handler');
      return of(undefined);
    });
    await sut.start();
    await deliver('pre-numbers.v1', ['{"n":1}']);
    expect(calls).toEqual(['handler', 'resolve 10', 'commit']);
  });

  it('sends an unparseable message to <topic>.dlq with the error in headers and applies the others', async () => {
    const applied: number[] = [];
    const { sut, published, deliver } = serverWith((records) => {
      applied.push(...records.map((r) => r.value.n));
      return Promise.resolve();
    });
    await sut.start();
    await deliver('pre-numbers.v1', ['{"n":1}', '{"n":"x"}', '{"n":3}']);
    expect(applied).toEqual([1, 3]);
    expect(published).toHaveLength(1);
    expect(published[0].topic).toBe('pre-numbers.v1.dlq');
    expect(published[0].messages[0].headers).toMatchObject({
      'dlq-error-type': 'contract-violation',
      'dlq-source-topic': 'pre-numbers.v1',
      'dlq-source-partition': '2',
      'dlq-source-offset': '11',
      'dlq-consumer-group': 'g',
    });
  });

  it('isolates the records a permanent error is about and dead-letters only those', async () => {
    const applied: number[] = [];
    const { sut, published, deliver } = serverWith((records) => {
      if (records.some((r) => r.value.n === 2)) throw new ContractViolationError('n', 'two is refused');
      applied.push(...records.map((r) => r.value.n));
      return Promise.resolve();
    });
    await sut.start();
    await deliver('pre-numbers.v1', ['{"n":1}', '{"n":2}', '{"n":3}']);
    expect(applied).toEqual([1, 3]);
    expect(published.map((p) => p.messages.map((m) => String(m.value)))).toEqual([['{"n":2}']]);
    expect(published[0].messages[0].headers['dlq-error-message']).toContain('two is refused');
  });

  it('uses the pattern’s own test of permanent errors', async () => {
    const { sut, published, deliver } = serverWith(
      (records) => (records.length > 1 ? Promise.reject(new Error('bad row')) : Promise.resolve()),
      { ...pattern, isPermanentError: (error) => error instanceof Error && error.message === 'bad row' },
    );
    await sut.start();
    await deliver('pre-numbers.v1', ['{"n":1}', '{"n":2}']);
    expect(published).toEqual([]);
  });

  it('lets an outage fail the batch without resolving or committing its offsets (kafkajs retries it)', async () => {
    const { sut, calls, published, deliver } = serverWith(() => Promise.reject(new Error('database down')));
    await sut.start();
    await expect(deliver('pre-numbers.v1', ['{"n":1}'])).rejects.toThrow('database down');
    expect(calls).toEqual([]);
    expect(published).toEqual([]);
  });

  it('refuses a handler registered without a parse function', async () => {
    const { sut } = serverWith(() => Promise.resolve(), {} as KafkaBatchPattern<Value>);
    await expect(sut.start()).rejects.toThrow("@EventPattern('numbers.v1') needs a parse function");
  });

  it('leaves the group on close', async () => {
    const { sut, calls } = serverWith(() => Promise.resolve());
    await sut.start();
    await sut.close();
    expect(calls).toEqual(['disconnect']);
  });
});
