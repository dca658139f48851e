import type { KafkaMessage } from 'kafkajs';
import type { ConsumedRecord } from '@app/kafka';

/** `values` as one partition's consumed batch (offsets 0, 1, …), for handlers applied without a broker. */
export const consumedRecords = <T>(...values: T[]): ConsumedRecord<T>[] =>
  values.map((value, i) => ({
    value,
    message: { offset: String(i) } as KafkaMessage,
    topic: 't',
    partition: 0,
  }));
