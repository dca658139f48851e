import type { PartitionMetadata } from 'kafkajs';

/** A topic's partition metadata as kafkajs hands it to a partitioner: `count` partitions led by broker 1. */
export const partitionMetadata = (count: number): PartitionMetadata[] =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: 1,
    replicas: [1],
    isr: [1],
    offlineReplicas: [],
  }));
