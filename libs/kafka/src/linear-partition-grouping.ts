import type { Message, PartitionMetadata } from 'kafkajs';
import { type ModuleCache, replaceKafkajsFunction } from './kafkajs-module-export';

const GROUPING_MODULE = 'kafkajs/src/producer/groupMessagesPerPartition';
/** kafkajs's module that keeps the grouping function it loaded with (loaded with kafkajs itself). */
const SEND_MESSAGES_MODULE = 'kafkajs/src/producer/sendMessages';

interface Grouping {
  topic: string;
  partitionMetadata: PartitionMetadata[];
  messages: Message[];
  partitioner: (args: { topic: string; partitionMetadata: PartitionMetadata[]; message: Message }) => number;
}

/**
 * kafkajs's (2.2.x) groupMessagesPerPartition, in one pass: each message to the partition its partitioner names,
 * in order. kafkajs's own copies the partition's list for every message it adds (`[...current, message]`) and
 * builds an object for each (`Object.assign`): quadratic in the messages of a produce request, 1,000 of them
 * here (KAFKA_MAX_BATCH_MESSAGES). The same result, object for object.
 */
export function groupMessagesPerPartition({
  topic,
  partitionMetadata,
  messages,
  partitioner,
}: Grouping): Record<string, Message[]> {
  const result: Record<string, Message[]> = {};
  if (partitionMetadata.length === 0) return result;
  for (const message of messages) {
    const partition = partitioner({ topic, partitionMetadata, message });
    (result[partition] ??= []).push(message);
  }
  return result;
}

/**
 * Makes kafkajs's producer group with groupMessagesPerPartition above, by replacing the export of kafkajs's
 * module before its producer loads it. That happens when kafkajs itself is loaded, so this runs before anything
 * imports kafkajs (./install-before-kafkajs, each app's first import). False, with nothing changed, when it is
 * too late or kafkajs's module is not the one this was written for.
 */
export function installLinearPartitionGrouping(cache: ModuleCache = require.cache): boolean {
  return replaceKafkajsFunction(GROUPING_MODULE, SEND_MESSAGES_MODULE, groupMessagesPerPartition, cache);
}
