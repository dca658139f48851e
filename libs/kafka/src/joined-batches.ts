import type { ConsumedRecord, TopicHandler } from './consumer-runner';

interface WaitingBatch<T> {
  records: ConsumedRecord<T>[];
  bytes: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface JoinedBatchesOptions {
  /** Batches are joined while their messages' values weigh at most this much together (a heavier one goes alone). */
  maxBytes: number;
  /** Writes (calls of the handler) in progress at once; batches handed over meanwhile wait and join. */
  maxWrites: number;
}

/**
 * A handler that applies the batches handed to it together with one call of `handler` (one transaction, where
 * `handler` writes in one).
 *
 * kafkajs hands the batches of one fetch, one per partition, to concurrent `eachBatch` calls, and fetches again
 * only once all of them are done. Written one transaction each, a fetch of twelve partitions costs twelve
 * commits, and a message that arrives meanwhile waits for all of them before it is even fetched: the consumer's
 * cycle, and so the time from publish to applied, grows with the number of partitions rather than with the
 * messages. Joined, a fetch of small batches is one write whatever its partitions.
 *
 * Batches handed over in one turn of the event loop, or while `maxWrites` writes are in progress, are joined up
 * to `maxBytes`; a batch heavier than that (a backlog: kafkajs fetches up to 2 MiB per partition) is written
 * alone, and up to `maxWrites` such writes run at once, so catching up keeps the database as busy as before.
 *
 * The joined records keep each batch's order (a partition's order); batches of different partitions are
 * independent. Should a joined write fail, each of its batches is applied again alone and settles with its own
 * outcome: an error caused by one batch's records (bad data, a workspace that does not exist) reaches only that
 * batch, whose transport then narrows it down record by record as before.
 */
export function joinedBatches<T>(
  handler: TopicHandler<T>,
  options: JoinedBatchesOptions = { maxBytes: 1024 * 1024, maxWrites: 3 },
): TopicHandler<T> {
  const waiting: WaitingBatch<T>[] = [];
  let writing = 0;
  let scheduled = false;

  /** The next batches to write together: the oldest waiting one, and those after it while they fit. */
  const nextGroup = (): WaitingBatch<T>[] => {
    const group = [waiting.shift()!];
    let bytes = group[0].bytes;
    while (waiting.length > 0 && bytes + waiting[0].bytes <= options.maxBytes) {
      bytes += waiting[0].bytes;
      group.push(waiting.shift()!);
    }
    return group;
  };

  const write = async (group: WaitingBatch<T>[]): Promise<void> => {
    if (group.length > 1) {
      try {
        await handler.apply(group.flatMap((b) => b.records));
        for (const b of group) b.resolve();
        return;
      } catch {
        // Applied again one batch at a time below, so that the error reaches only the batch it belongs to.
      }
    }
    await Promise.all(group.map((b) => handler.apply(b.records).then(b.resolve, b.reject)));
  };

  const startWrites = (): void => {
    scheduled = false;
    while (writing < options.maxWrites && waiting.length > 0) {
      writing++;
      void write(nextGroup()).finally(() => {
        writing--;
        startWrites();
      });
    }
  };

  return {
    apply(records: ConsumedRecord<T>[]): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ records, bytes: bytesOf(records), resolve, reject });
        // After the other batches of this fetch, handed over in this turn, have joined.
        if (!scheduled && writing < options.maxWrites) {
          scheduled = true;
          setImmediate(startWrites);
        }
      });
    },
    isPermanentError: (error) => handler.isPermanentError?.(error) ?? false,
  };
}

function bytesOf(records: ConsumedRecord<unknown>[]): number {
  let bytes = 0;
  for (const { message } of records) bytes += message.value?.length ?? 0;
  return bytes;
}
