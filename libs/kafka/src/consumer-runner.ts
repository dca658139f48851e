import type { KafkaMessage } from 'kafkajs';

export interface ConsumedRecord<T> {
  value: T;
  message: KafkaMessage;
  topic: string;
  partition: number;
}

/**
 * How one topic's validated records are applied (parsing is the `@EventPattern`'s, see `CONSUMED` in
 * libs/platform). `apply` must be idempotent: batches can be redelivered.
 */
export interface TopicHandler<T> {
  apply(records: ConsumedRecord<T>[]): Promise<void>;
  /** An error that this record will always cause (bad data), as opposed to an outage worth retrying. */
  isPermanentError?(error: unknown): boolean;
}

/** KAFKA_SESSION_TIMEOUT_MS / KAFKA_HEARTBEAT_INTERVAL_MS defaults: a killed replica's partitions move in ~10 s. */
export const DEFAULT_SESSION_TIMEOUT_MS = 10000;
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 1000;

/** Splits messages into consecutive groups of at most `maxBytes` of keys and values (one oversized message alone). */
export function chunksOfBytes<M extends { key?: Buffer | string | null; value: Buffer | string | null }>(
  messages: M[],
  maxBytes: number,
): M[][] {
  const chunks: M[][] = [];
  let current: M[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = (message.value?.length ?? 0) + (message.key?.length ?? 0);
    if (current.length > 0 && bytes + size > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
