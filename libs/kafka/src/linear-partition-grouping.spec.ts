/* eslint-disable @typescript-eslint/no-require-imports -- kafkajs's internal modules, which the patch replaces */
import fc from 'fast-check';
import type { Message } from 'kafkajs';
import { partitionMetadata as partitionMetadataOf } from '@test/support/partition-metadata';

type Grouping = Parameters<typeof groupMessagesPerPartition>[0];
import { groupMessagesPerPartition, installLinearPartitionGrouping } from './linear-partition-grouping';

const GROUPING_MODULE = 'kafkajs/src/producer/groupMessagesPerPartition';
const kafkajsGrouping = require(GROUPING_MODULE) as typeof groupMessagesPerPartition;

/** Explicit partitions, keys by their length, keyless messages round robin from 0 (kafkajs starts at random). */
const partitionerOf = (): Grouping['partitioner'] => {
  let next = 0;
  return ({ partitionMetadata, message }) =>
    message.partition ?? (message.key ? String(message.key).length : next++) % partitionMetadata.length;
};

describe(groupMessagesPerPartition.name, () => {
  it("groups as kafkajs's own does: the same partitions, the same messages in the same order", () => {
    const message = fc.record({
      key: fc.option(fc.string({ maxLength: 6 }), { nil: undefined }),
      value: fc.string({ maxLength: 4 }),
      partition: fc.option(fc.integer({ min: 0, max: 11 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.array(message, { maxLength: 300 }),
        fc.integer({ min: 0, max: 12 }),
        (messages, count) => {
          const partitionMetadata = partitionMetadataOf(count);
          // One partitioner each, so both see the same round robin.
          const grouping = () => ({
            topic: 't',
            partitionMetadata,
            messages: messages as Message[],
            partitioner: partitionerOf(),
          });
          expect(groupMessagesPerPartition(grouping())).toEqual(kafkajsGrouping(grouping()));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe(installLinearPartitionGrouping.name, () => {
  const resolved = (name: string) => require.resolve(`kafkajs/src/producer/${name}`);

  it("replaces kafkajs's grouping module's export while its producer has not loaded it yet", () => {
    const record = { exports: kafkajsGrouping as unknown };
    expect(installLinearPartitionGrouping({ [resolved('groupMessagesPerPartition')]: record })).toBe(true);
    expect(record.exports).toBe(groupMessagesPerPartition);
  });

  it('changes nothing once kafkajs is loaded (its producer keeps the grouping it loaded), nor in another module', () => {
    const record = { exports: kafkajsGrouping as unknown };
    const loaded = {
      [resolved('groupMessagesPerPartition')]: record,
      [resolved('sendMessages')]: { exports: {} },
    };
    expect(installLinearPartitionGrouping(loaded)).toBe(false);
    expect(record.exports).toBe(kafkajsGrouping);

    const other = { exports: (a: unknown, b: unknown) => [a, b] as unknown };
    const before = other.exports;
    expect(installLinearPartitionGrouping({ [resolved('groupMessagesPerPartition')]: other })).toBe(false);
    expect(other.exports).toBe(before);
  });
});
