import type { Logger } from '@nestjs/common';

/** A loop made of rounds (`WakeableLoop.startRounds`): what one round does and what a failed one costs. */
export interface LoopRounds {
  /** One round of work; resolves with how long to sleep before the next (0: the next one at once). */
  round(): Promise<number>;
  /** How long to sleep after the `failures`-th failed round in a row. */
  retryAfterMs(failures: number): number;
  /** A failed round is logged here (with the error and the failures in a row) while the loop runs. */
  logger: Pick<Logger, 'warn'>;
  failureMessage: string;
}

/**
 * A background loop that runs until stopped, sleeping between rounds until a timeout or an early `wake()`.
 * A wake that arrives while the body is busy is remembered, so the next `sleep` returns at once and no
 * signal is lost. `stop()` ends every sleep, lets the body see `running === false` and waits for it to return.
 *
 *   const loop = new WakeableLoop();
 *   loop.start(async () => { while (loop.running) { await work(); await loop.sleep(1000); } });
 *   ...; loop.wake(); ...; await loop.stop();
 */
export class WakeableLoop {
  private active = false;
  private done?: Promise<void>;
  private woken = false;
  private wakeUp?: () => void;

  /** True from `start` until `stop`: the body's loops test it. */
  get running(): boolean {
    return this.active;
  }

  /** Runs `body` once in the background; it is expected to loop while `running`. */
  start(body: () => Promise<void>): void {
    if (this.active) throw new Error('WakeableLoop already started');
    this.active = true;
    this.done = body();
  }

  /**
   * Runs `rounds.round()` over and over in the background until stopped, sleeping (wakeably) for what each
   * round asks; a round that throws is logged and followed by a sleep of `retryAfterMs`, and the loop goes on.
   */
  startRounds(rounds: LoopRounds): void {
    this.start(async () => {
      let failures = 0;
      while (this.active) {
        let pauseMs: number;
        try {
          pauseMs = await rounds.round();
          failures = 0;
        } catch (error) {
          failures++;
          if (this.active) rounds.logger.warn({ err: error, failures }, rounds.failureMessage);
          pauseMs = rounds.retryAfterMs(failures);
        }
        if (pauseMs > 0) await this.sleep(pauseMs);
      }
    });
  }

  /** There may be work: end the current sleep now, or make the next one return at once. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Waits `ms`, or less when woken (also by a wake that came while the body was busy) or stopped. */
  sleep(ms: number): Promise<void> {
    if (this.woken || !this.active) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(), ms);
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        this.woken = false;
        resolve();
      };
      this.wakeUp = done;
    });
  }

  /** Stops the loop: ends the sleep in hand and resolves once the body has returned. */
  async stop(): Promise<void> {
    this.active = false;
    this.wake();
    await this.done;
  }
}
