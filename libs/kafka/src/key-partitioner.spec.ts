import { Partitioners } from 'kafkajs';
import { partitionMetadata as metadata } from '@test/support/partition-metadata';
import { rememberingKeyPartitioner } from './key-partitioner';

describe('rememberingKeyPartitioner', () => {
  it("gives every keyed message kafkajs's default partition, first and when the key comes again", () => {
    const remembering = rememberingKeyPartitioner();
    const reference = Partitioners.DefaultPartitioner();
    const keys = Array.from({ length: 300 }, (_, i) => `c_01JS1XM2A3B4C5D6E7F8G9H${i.toString(36)}`);
    for (const round of [1, 2])
      for (const key of keys) {
        const args = {
          topic: 'customer-events.v1',
          partitionMetadata: metadata(12),
          message: { key, value: `${round}` },
        };
        expect(remembering(args)).toBe(reference(args));
      }
    const spread = new Set(
      keys.map((key) =>
        remembering({
          topic: 'customer-events.v1',
          partitionMetadata: metadata(12),
          message: { key, value: '' },
        }),
      ),
    );
    expect(spread.size).toBe(12);
  });

  it("follows a topic's partition count when it changes, per topic", () => {
    const remembering = rememberingKeyPartitioner();
    const reference = Partitioners.DefaultPartitioner();
    const keys = Array.from({ length: 50 }, (_, i) => `key-${i}`);
    for (const count of [3, 12, 3]) {
      for (const key of keys) {
        for (const topic of ['a', 'b']) {
          const partitionMetadata = metadata(topic === 'a' ? count : 7);
          const args = { topic, partitionMetadata, message: { key, value: '' } };
          expect(remembering(args)).toBe(reference(args));
        }
      }
    }
  });

  it("honours a message's own partition and spreads keyless messages as kafkajs does", () => {
    const remembering = rememberingKeyPartitioner();
    expect(
      remembering({
        topic: 't',
        partitionMetadata: metadata(12),
        message: { key: 'k', partition: 5, value: '' },
      }),
    ).toBe(5);
    const keyless = new Set(
      Array.from({ length: 24 }, () =>
        remembering({ topic: 't', partitionMetadata: metadata(12), message: { value: '' } }),
      ),
    );
    expect(keyless.size).toBe(12);
    // The key 'k' was never remembered with the explicit partition.
    expect(
      remembering({ topic: 't', partitionMetadata: metadata(12), message: { key: 'k', value: '' } }),
    ).toBe(
      Partitioners.DefaultPartitioner()({
        topic: 't',
        partitionMetadata: metadata(12),
        message: { key: 'k', value: '' },
      }),
    );
  });
});
