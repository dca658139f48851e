import { SchedulerRegistry } from '@nestjs/schedule';
import { PeriodicJob, PeriodicService } from './periodic-job';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe(PeriodicJob.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs every interval on timers registered in the SchedulerRegistry, first run after its delay', async () => {
    const registry = new SchedulerRegistry();
    let runs = 0;
    const sut = new PeriodicJob(
      registry,
      { name: 'job', everyMs: 1000, firstAfterMs: 100, failureMessage: 'x' },
      () => {
        runs++;
        return Promise.resolve();
      },
    );
    sut.start();
    expect(registry.getIntervals()).toEqual(['job']);
    await jest.advanceTimersByTimeAsync(100);
    expect(runs).toBe(1);
    await jest.advanceTimersByTimeAsync(900);
    expect(runs).toBe(2);
    await sut.stop();
    expect(registry.getIntervals()).toEqual([]);
    await jest.advanceTimersByTimeAsync(5000);
    expect(runs).toBe(2);
  });

  it('never overlaps runs: a tick during a run joins it', async () => {
    const registry = new SchedulerRegistry();
    const gate = deferred();
    let started = 0;
    const sut = new PeriodicJob(registry, { name: 'job', everyMs: 1000, failureMessage: 'x' }, async () => {
      started++;
      await gate.promise;
    });
    sut.start();
    await jest.advanceTimersByTimeAsync(3000);
    expect(started).toBe(1);
    gate.resolve();
    await sut.stop();
  });

  it('stop waits for the run in hand', async () => {
    const registry = new SchedulerRegistry();
    const gate = deferred();
    let finished = false;
    const sut = new PeriodicJob(registry, { name: 'job', everyMs: 1000, failureMessage: 'x' }, async () => {
      await gate.promise;
      finished = true;
    });
    sut.start();
    void sut.run();
    let stopped = false;
    const stopping = sut.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    gate.resolve();
    await stopping;
    expect(finished).toBe(true);
  });

  it('a failed run is logged, not thrown, and the next one runs', async () => {
    const registry = new SchedulerRegistry();
    let calls = 0;
    const sut = new PeriodicJob(registry, { name: 'job', everyMs: 1000, failureMessage: 'x' }, () => {
      calls++;
      return calls === 1 ? Promise.reject(new Error('database down')) : Promise.resolve();
    });
    await expect(sut.run()).resolves.toBeUndefined();
    await expect(sut.run()).resolves.toBeUndefined();
    expect(calls).toBe(2);
  });
});

describe(PeriodicService.name, () => {
  class Job extends PeriodicService {
    runs = 0;
    constructor(registry: SchedulerRegistry) {
      super(registry, { name: 'service-job', everyMs: 1000, failureMessage: 'x' });
    }
    protected runOnce(): Promise<void> {
      this.runs++;
      return Promise.resolve();
    }
  }

  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('starts its timers with the application and clears them at shutdown', async () => {
    const registry = new SchedulerRegistry();
    const sut = new Job(registry);
    sut.onApplicationBootstrap();
    expect(registry.getIntervals()).toEqual(['service-job']);
    await jest.advanceTimersByTimeAsync(2000);
    expect(sut.runs).toBe(2);
    await sut.onApplicationShutdown();
    expect(registry.getIntervals()).toEqual([]);
  });

  it('runs on demand', async () => {
    const sut = new Job(new SchedulerRegistry());
    await sut.run();
    expect(sut.runs).toBe(1);
  });
});
