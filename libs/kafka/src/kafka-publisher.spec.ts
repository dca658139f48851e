import type { Kafka, TopicMessages } from 'kafkajs';
import { BrokerUnavailableError } from './broker-unavailable.error';
import { KafkaPublisher } from './kafka-publisher';

/** A stub producer: records each sendBatch call; unit tests only (the integration spec uses the real broker). */
function stubKafka(send: (batch: TopicMessages[]) => Promise<unknown>) {
  const calls: TopicMessages[][] = [];
  const producer = {
    connect: jest.fn(() => Promise.resolve()),
    disconnect: jest.fn(() => Promise.resolve()),
    sendBatch: jest.fn(({ topicMessages }: { topicMessages: TopicMessages[] }) => {
      calls.push(topicMessages);
      return send(topicMessages);
    }),
  };
  return { kafka: { producer: () => producer } as unknown as Kafka, calls, producer };
}

describe(KafkaPublisher.name, () => {
  it('sends concurrent publishes within the linger in one produce request, with acks=all', async () => {
    const { kafka, calls, producer } = stubKafka(() => Promise.resolve([]));
    const sut = new KafkaPublisher(kafka, { lingerMs: 5, maxBatchMessages: 1000, timeoutMs: 1000 });
    await Promise.all([
      sut.publish('a', [{ key: 'k1', value: '1' }]),
      sut.publish('a', [{ key: 'k2', value: '2' }]),
      sut.publish('b', [{ key: 'k3', value: '3' }]),
    ]);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toEqual([
      {
        topic: 'a',
        messages: [
          { key: 'k1', value: '1' },
          { key: 'k2', value: '2' },
        ],
      },
      { topic: 'b', messages: [{ key: 'k3', value: '3' }] },
    ]);
    expect(producer.sendBatch).toHaveBeenCalledWith(expect.objectContaining({ acks: -1 }));
  });

  it('flushes at once when the queue reaches the batch size', async () => {
    const { kafka, calls } = stubKafka(() => Promise.resolve([]));
    const sut = new KafkaPublisher(kafka, { lingerMs: 10_000, maxBatchMessages: 2, timeoutMs: 1000 });
    await Promise.all([sut.publish('a', [{ value: '1' }]), sut.publish('a', [{ value: '2' }])]);
    expect(calls).toHaveLength(1);
  });

  it('rejects every caller of a batch the broker did not acknowledge in time', async () => {
    const { kafka } = stubKafka(() => new Promise(() => undefined));
    const sut = new KafkaPublisher(kafka, { lingerMs: 0, maxBatchMessages: 1000, timeoutMs: 50 });
    const results = await Promise.allSettled([
      sut.publish('a', [{ value: '1' }]),
      sut.publish('a', [{ value: '2' }]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason).toBeInstanceOf(BrokerUnavailableError);
  });

  it('connects again on the next publish after a failed connection', async () => {
    const { kafka, producer } = stubKafka(() => Promise.resolve([]));
    producer.connect.mockRejectedValueOnce(new Error('ECONNREFUSED'));
    const sut = new KafkaPublisher(kafka, { lingerMs: 0, maxBatchMessages: 1000, timeoutMs: 1000 });
    await expect(sut.publish('a', [{ value: '1' }])).rejects.toBeInstanceOf(BrokerUnavailableError);
    await expect(sut.publish('a', [{ value: '2' }])).resolves.toBeUndefined();
    expect(producer.connect).toHaveBeenCalledTimes(2);
  });
});
