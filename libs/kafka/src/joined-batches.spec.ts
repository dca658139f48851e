import { consumedRecords } from '@test/support/consumed-records';
import type { ConsumedRecord, TopicHandler } from './consumer-runner';
import { joinedBatches } from './joined-batches';

/** A handler that records each call's values and refuses any call holding a negative number. */
function recordingHandler() {
  const calls: number[][] = [];
  const handler: TopicHandler<number> = {
    apply: async (records: ConsumedRecord<number>[]) => {
      await Promise.resolve();
      calls.push(records.map((r) => r.value));
      if (records.some((r) => r.value < 0)) throw new RangeError('negative');
    },
    isPermanentError: (error) => error instanceof RangeError,
  };
  return { calls, handler };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe(joinedBatches.name, () => {
  it("applies the batches handed over in one turn with one call, each batch's records in order", async () => {
    const { calls, handler } = recordingHandler();
    const sut = joinedBatches(handler);
    await Promise.all([
      sut.apply(consumedRecords(1, 2, 3)),
      sut.apply(consumedRecords(10, 11)),
      sut.apply(consumedRecords(20)),
    ]);
    expect(calls).toEqual([[1, 2, 3, 10, 11, 20]]);
  });

  it('does not resolve a batch before the joined call has', async () => {
    let finish!: () => void;
    const sut = joinedBatches<number>({ apply: () => new Promise<void>((resolve) => (finish = resolve)) });
    let settled = 0;
    void sut.apply(consumedRecords(1)).then(() => settled++);
    void sut.apply(consumedRecords(2)).then(() => settled++);
    await turn();
    await turn();
    expect(settled).toBe(0);
    finish();
    await turn();
    expect(settled).toBe(2);
  });

  it('applies batches handed over in different turns separately', async () => {
    const { calls, handler } = recordingHandler();
    const sut = joinedBatches(handler);
    const first = sut.apply(consumedRecords(1));
    await turn();
    const second = sut.apply(consumedRecords(2));
    await Promise.all([first, second]);
    expect(calls).toEqual([[1], [2]]);
  });

  it('applies each batch alone when the joined call fails, so that only the guilty batch fails', async () => {
    const { calls, handler } = recordingHandler();
    const sut = joinedBatches(handler);
    const outcomes = await Promise.allSettled([
      sut.apply(consumedRecords(1, 2)),
      sut.apply(consumedRecords(3, -4)),
      sut.apply(consumedRecords(5)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(RangeError);
    expect(calls).toEqual([[1, 2, 3, -4, 5], [1, 2], [3, -4], [5]]);
  });

  it('hands a lone batch its own error without applying it twice', async () => {
    const { calls, handler } = recordingHandler();
    const sut = joinedBatches(handler);
    await expect(sut.apply(consumedRecords(-1))).rejects.toThrow(RangeError);
    expect(calls).toEqual([[-1]]);
  });

  it("keeps the handler's idea of permanent errors", () => {
    const { handler } = recordingHandler();
    const sut = joinedBatches(handler);
    expect(sut.isPermanentError!(new RangeError('negative'))).toBe(true);
    expect(sut.isPermanentError!(new Error('connection terminated'))).toBe(false);
    expect(
      joinedBatches<number>({ apply: () => Promise.resolve() }).isPermanentError!(new RangeError()),
    ).toBe(false);
  });

  /** `values` as a batch whose messages weigh `bytes` each. */
  const weighing = (bytes: number, ...values: number[]): ConsumedRecord<number>[] =>
    consumedRecords(...values).map((r) => ({
      ...r,
      message: { ...r.message, value: Buffer.alloc(bytes) },
    }));

  /** A handler whose calls finish only when told, recording the values of the calls in progress. */
  function gatedHandler() {
    const inProgress: number[][] = [];
    const started: number[][] = [];
    const gates: Array<() => void> = [];
    const handler: TopicHandler<number> = {
      apply: (records) => {
        const values = records.map((r) => r.value);
        started.push(values);
        inProgress.push(values);
        return new Promise<void>((resolve) =>
          gates.push(() => {
            inProgress.splice(inProgress.indexOf(values), 1);
            resolve();
          }),
        );
      },
    };
    return { handler, inProgress, started, finishOne: () => gates.shift()!() };
  }

  it('writes a batch heavier than maxBytes alone, and at most maxWrites writes at once', async () => {
    const { handler, inProgress, started, finishOne } = gatedHandler();
    const sut = joinedBatches(handler, { maxBytes: 100, maxWrites: 2 });
    const all = Promise.all([
      sut.apply(weighing(60, 1)),
      sut.apply(weighing(60, 2)),
      sut.apply(weighing(60, 3)),
      sut.apply(weighing(30, 4)),
      sut.apply(weighing(10, 5)),
    ]);
    await turn();
    // 60 + 60 > 100: the first two go alone; the third joins the fourth and fifth (60 + 30 + 10 = 100).
    expect(inProgress).toEqual([[1], [2]]);
    finishOne();
    await turn();
    expect(inProgress).toEqual([[2], [3, 4, 5]]);
    finishOne();
    finishOne();
    await all;
    expect(started).toEqual([[1], [2], [3, 4, 5]]);
  });

  it('joins the batches handed over while every write is in progress, once one is done', async () => {
    const { handler, inProgress, started, finishOne } = gatedHandler();
    const sut = joinedBatches(handler, { maxBytes: 1000, maxWrites: 1 });
    const first = sut.apply(weighing(10, 1));
    await turn();
    expect(inProgress).toEqual([[1]]);
    const later = [sut.apply(weighing(10, 2)), sut.apply(weighing(10, 3))];
    await turn();
    const third = sut.apply(weighing(10, 4));
    await turn();
    expect(inProgress).toEqual([[1]]);
    finishOne();
    await first;
    await turn();
    expect(inProgress).toEqual([[2, 3, 4]]);
    finishOne();
    await Promise.all([...later, third]);
    expect(started).toEqual([[1], [2, 3, 4]]);
  });
});
