import type { ConsumedRecord, TopicHandler } from './consumer-runner';

interface WaitingBatch<T> {
  records: ConsumedRecord<T>[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * A handler that applies the batches handed to it in one turn of the event loop with one call of `handler`
 * (one transaction, where `handler` writes in one).
 *
 * kafkajs hands the batches of one fetch, one per partition, to concurrent `eachBatch` calls, and fetches again
 * only once all of them are done. Written one transaction each, a fetch of twelve partitions costs twelve
 * commits, and a message that arrives meanwhile waits for all of them before it is even fetched: the consumer's
 * cycle, and so the time from publish to applied, grows with the number of partitions rather than with the
 * messages. Joined, a fetch is one write whatever its partitions.
 *
 * The joined records keep each batch's order (a partition's order); batches of different partitions are
 * independent. Should the joined call fail, each batch is applied again alone, concurrently, and settles with
 * its own outcome: an error caused by one batch's records (bad data, a workspace that does not exist) reaches
 * only that batch, whose transport then narrows it down record by record as before.
 */
export function joinedBatches<T>(handler: TopicHandler<T>): TopicHandler<T> {
  let waiting: WaitingBatch<T>[] = [];

  const applyWaiting = async (): Promise<void> => {
    const batches = waiting;
    waiting = [];
    if (batches.length > 1) {
      try {
        await handler.apply(batches.flatMap((b) => b.records));
        for (const b of batches) b.resolve();
        return;
      } catch {
        // Applied again one batch at a time below, so that the error reaches only the batch it belongs to.
      }
    }
    for (const b of batches) handler.apply(b.records).then(b.resolve, b.reject);
  };

  return {
    apply(records: ConsumedRecord<T>[]): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ records, resolve, reject });
        // After the other batches of this fetch, handed over in this turn, have joined.
        if (waiting.length === 1) setImmediate(() => void applyWaiting());
      });
    },
    isPermanentError: (error) => handler.isPermanentError?.(error) ?? false,
  };
}
