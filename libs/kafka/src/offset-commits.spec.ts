import type { TopicPartitionOffset } from 'kafkajs';
import { OffsetCommits } from './offset-commits';

/** A commit function whose round trips the test completes by hand. */
function manualBroker() {
  const calls: Array<{ offsets: TopicPartitionOffset[]; done: () => void; fail: (e: Error) => void }> = [];
  const commit = (offsets: TopicPartitionOffset[]) =>
    new Promise<void>((resolve, reject) => calls.push({ offsets, done: resolve, fail: reject }));
  return { calls, commit };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('OffsetCommits', () => {
  it('commits at once, one commit in flight, the next carrying the latest offset of each partition meanwhile', async () => {
    const broker = manualBroker();
    const commits = new OffsetCommits(broker.commit, () => undefined);
    const first = commits.offer('t', 0, '5');
    expect(broker.calls.map((c) => c.offsets)).toEqual([[{ topic: 't', partition: 0, offset: '5' }]]);
    const second = commits.offer('t', 0, '9');
    const third = commits.offer('t', 1, '3');
    const fourth = commits.offer('t', 0, '12');
    expect(broker.calls).toHaveLength(1);
    broker.calls[0].done();
    await settle();
    expect(broker.calls[1].offsets).toEqual([
      { topic: 't', partition: 0, offset: '12' },
      { topic: 't', partition: 1, offset: '3' },
    ]);
    let resolved = false;
    void Promise.all([first, second, third, fourth]).then(() => (resolved = true));
    await settle();
    expect(resolved).toBe(false);
    broker.calls[1].done();
    await settle();
    expect(resolved).toBe(true);
    expect(broker.calls).toHaveLength(2);
  });

  it('flush resolves once every offset offered so far is committed, and at once when none is pending', async () => {
    const broker = manualBroker();
    const commits = new OffsetCommits(broker.commit, () => undefined);
    await commits.flush();
    void commits.offer('t', 0, '1');
    let flushed = false;
    void commits.flush().then(() => (flushed = true));
    void commits.offer('t', 0, '2');
    broker.calls[0].done();
    await settle();
    expect(flushed).toBe(false);
    broker.calls[1].done();
    await settle();
    expect(flushed).toBe(true);
  });

  it('reports a failed commit and goes on with the next offsets (the failed ones are consumed again)', async () => {
    const broker = manualBroker();
    const errors: Array<{ error: unknown; offsets: TopicPartitionOffset[] }> = [];
    const commits = new OffsetCommits(broker.commit, (error, offsets) => errors.push({ error, offsets }));
    const failed = commits.offer('t', 0, '4');
    void commits.offer('t', 1, '8');
    broker.calls[0].fail(new Error('REBALANCE_IN_PROGRESS'));
    await settle();
    expect(errors).toEqual([
      { error: new Error('REBALANCE_IN_PROGRESS'), offsets: [{ topic: 't', partition: 0, offset: '4' }] },
    ]);
    expect(broker.calls[1].offsets).toEqual([{ topic: 't', partition: 1, offset: '8' }]);
    broker.calls[1].done();
    await expect(failed).resolves.toBeUndefined();
    await commits.flush();
    expect(broker.calls).toHaveLength(2);
  });

  it('hands a batch applied while the consumer stops its offsets and every pending one, for it to commit itself', () => {
    const broker = manualBroker();
    const commits = new OffsetCommits(broker.commit, () => undefined);
    void commits.offer('t', 0, '5');
    void commits.offer('t', 1, '7');
    void commits.offer('t', 0, '6');
    expect(commits.takeWith('t', 2, '3')).toEqual([
      { topic: 't', partition: 1, offset: '7' },
      { topic: 't', partition: 0, offset: '6' },
      { topic: 't', partition: 2, offset: '3' },
    ]);
    broker.calls[0].done();
    expect(broker.calls).toHaveLength(1);
  });

  describe('with a minimum interval between commits', () => {
    beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }));
    afterEach(() => jest.useRealTimers());

    it('commits the first offer at once, then at most every interval, carrying the latest offsets', async () => {
      const broker = manualBroker();
      const commits = new OffsetCommits(broker.commit, () => undefined, 100);
      const first = commits.offer('t', 0, '5');
      expect(broker.calls).toHaveLength(1);
      broker.calls[0].done();
      await first;
      jest.advanceTimersByTime(30);
      const second = commits.offer('t', 0, '6');
      void commits.offer('t', 1, '2');
      void commits.offer('t', 0, '8');
      await settle();
      jest.advanceTimersByTime(69);
      await settle();
      expect(broker.calls).toHaveLength(1);
      jest.advanceTimersByTime(1);
      await settle();
      expect(broker.calls.map((c) => c.offsets)).toEqual([
        [{ topic: 't', partition: 0, offset: '5' }],
        [
          { topic: 't', partition: 0, offset: '8' },
          { topic: 't', partition: 1, offset: '2' },
        ],
      ]);
      broker.calls[1].done();
      await expect(second).resolves.toBeUndefined();
      // An offer long after the last commit goes at once again.
      jest.advanceTimersByTime(500);
      void commits.offer('t', 0, '9');
      expect(broker.calls).toHaveLength(3);
    });

    it('flush commits what is waiting for its interval at once, and resolves when that commit is done', async () => {
      const broker = manualBroker();
      const commits = new OffsetCommits(broker.commit, () => undefined, 10_000);
      void commits.offer('t', 0, '1');
      broker.calls[0].done();
      await settle();
      void commits.offer('t', 0, '2');
      await settle();
      expect(broker.calls).toHaveLength(1);
      let flushed = false;
      void commits.flush().then(() => (flushed = true));
      await settle();
      expect(broker.calls.map((c) => c.offsets)).toEqual([
        [{ topic: 't', partition: 0, offset: '1' }],
        [{ topic: 't', partition: 0, offset: '2' }],
      ]);
      expect(flushed).toBe(false);
      broker.calls[1].done();
      await settle();
      expect(flushed).toBe(true);
      // The flush is over: the next offer waits for the interval again.
      void commits.offer('t', 0, '3');
      await settle();
      expect(broker.calls).toHaveLength(2);
      jest.advanceTimersByTime(10_000);
      await settle();
      expect(broker.calls).toHaveLength(3);
    });

    it('commits nothing once a leaving consumer took the offsets that were waiting for the interval', async () => {
      const broker = manualBroker();
      const commits = new OffsetCommits(broker.commit, () => undefined, 100);
      void commits.offer('t', 0, '1');
      broker.calls[0].done();
      await settle();
      const waiting = commits.offer('t', 0, '2');
      expect(commits.takeWith('t', 1, '4')).toEqual([
        { topic: 't', partition: 0, offset: '2' },
        { topic: 't', partition: 1, offset: '4' },
      ]);
      jest.advanceTimersByTime(100);
      await expect(waiting).resolves.toBeUndefined();
      expect(broker.calls).toHaveLength(1);
    });
  });
});
