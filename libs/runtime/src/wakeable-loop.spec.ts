import { WakeableLoop } from './wakeable-loop';

const HOUR = 3_600_000;

/** Lets pending promise callbacks run (no timers involved). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe(WakeableLoop.name, () => {
  it('ends a sleep early when woken', async () => {
    const sut = new WakeableLoop();
    let rounds = 0;
    sut.start(async () => {
      while (sut.running) {
        rounds++;
        await sut.sleep(HOUR);
      }
    });
    await settle();
    expect(rounds).toBe(1);
    sut.wake();
    await settle();
    expect(rounds).toBe(2);
    await sut.stop();
  });

  it('remembers a wake that arrives while the body is busy', async () => {
    const sut = new WakeableLoop();
    sut.start(() => Promise.resolve());
    sut.wake();
    await sut.sleep(HOUR); // returns at once: the wake came before the sleep
    await sut.stop();
  });

  it('sleeps until the timeout when nobody wakes it', async () => {
    jest.useFakeTimers();
    try {
      const sut = new WakeableLoop();
      sut.start(() => Promise.resolve());
      let slept = false;
      const sleeping = sut.sleep(1000).then(() => (slept = true));
      await jest.advanceTimersByTimeAsync(999);
      expect(slept).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      await sleeping;
      expect(slept).toBe(true);
      await sut.stop();
    } finally {
      jest.useRealTimers();
    }
  });

  it('stop ends the sleep in hand and waits for the body to return', async () => {
    const sut = new WakeableLoop();
    let returned = false;
    sut.start(async () => {
      while (sut.running) await sut.sleep(HOUR);
      await settle();
      returned = true;
    });
    await settle();
    await sut.stop();
    expect(returned).toBe(true);
    expect(sut.running).toBe(false);
    await sut.sleep(HOUR); // a stopped loop never sleeps
  });

  describe('startRounds', () => {
    const logger = () => ({ warn: jest.fn() });

    it('runs the next round at once or after the sleep the round asked for (woken early)', async () => {
      const sut = new WakeableLoop();
      const pauses = [0, 0, HOUR];
      let rounds = 0;
      sut.startRounds({
        round: () => Promise.resolve(pauses[rounds++] ?? HOUR),
        retryAfterMs: () => HOUR,
        logger: logger(),
        failureMessage: 'x',
      });
      await settle();
      expect(rounds).toBe(3);
      sut.wake();
      await settle();
      expect(rounds).toBe(4);
      await sut.stop();
    });

    it('logs a failed round with the failures in a row and sleeps what retryAfterMs says before the next', async () => {
      jest.useFakeTimers();
      try {
        const sut = new WakeableLoop();
        const log = logger();
        const retryAfterMs = jest.fn((failures: number) => failures * 1000);
        let rounds = 0;
        sut.startRounds({
          round: () => (++rounds <= 2 ? Promise.reject(new Error('down')) : Promise.resolve(HOUR)),
          retryAfterMs,
          logger: log,
          failureMessage: 'Could not work; retrying',
        });
        await jest.advanceTimersByTimeAsync(0);
        expect(rounds).toBe(1);
        await jest.advanceTimersByTimeAsync(1000);
        expect(rounds).toBe(2);
        await jest.advanceTimersByTimeAsync(1999);
        expect(rounds).toBe(2);
        await jest.advanceTimersByTimeAsync(1);
        expect(rounds).toBe(3);
        expect(retryAfterMs.mock.calls).toEqual([[1], [2]]);
        expect(log.warn).toHaveBeenCalledTimes(2);
        expect(log.warn).toHaveBeenLastCalledWith(
          { err: expect.any(Error), failures: 2 },
          'Could not work; retrying',
        );
        await sut.stop();
      } finally {
        jest.useRealTimers();
      }
    });
  });
});
