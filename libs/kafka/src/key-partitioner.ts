import { type ICustomPartitioner, Partitioners } from 'kafkajs';

/** Keys remembered per topic (a few MiB at most); past it, the topic's memory starts over. */
const MAX_KEYS_PER_TOPIC = 20_000;

/**
 * kafkajs's default partitioner (the Java client's: a keyed message goes to murmur2(key) mod the topic's
 * partition count), remembering each key's partition. kafkajs computes it per message, with a filter of the
 * topic's partitions besides: 6 % of the gateway's CPU samples under batch load, for keys (customer ids) that
 * repeat. A key's partition depends only on the key and the partition count, so it is remembered per topic and
 * partition count; a changed count starts that topic over. Messages with a partition of their own or no string
 * key go to kafkajs's partitioner as they are.
 */
export const rememberingKeyPartitioner: ICustomPartitioner = () => {
  const partitioner = Partitioners.DefaultPartitioner();
  const topics = new Map<string, { partitionCount: number; byKey: Map<string, number> }>();
  return (args) => {
    const { topic, partitionMetadata, message } = args;
    const { key } = message;
    if (typeof key !== 'string' || (message.partition !== undefined && message.partition !== null))
      return partitioner(args);
    let known = topics.get(topic);
    if (known?.partitionCount !== partitionMetadata.length) {
      known = { partitionCount: partitionMetadata.length, byKey: new Map() };
      topics.set(topic, known);
    }
    let partition = known.byKey.get(key);
    if (partition === undefined) {
      partition = partitioner(args);
      if (known.byKey.size >= MAX_KEYS_PER_TOPIC) known.byKey.clear();
      known.byKey.set(key, partition);
    }
    return partition;
  };
};
