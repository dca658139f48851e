import type { KafkaMessage } from 'kafkajs';
import type { ConsumedRecord } from '@app/kafka';

/**
 * `values` as one partition's consumed batch (offsets 0, 1, …, each message's value its JSON, as the parsed
 * value came from), for handlers applied without a broker.
 */
export const consumedRecords = <T>(...values: T[]): ConsumedRecord<T>[] =>
  values.map((value, i) => ({
    value,
    message: { offset: String(i), value: Buffer.from(JSON.stringify(value)) } as KafkaMessage,
    topic: 't',
    partition: 0,
  }));
