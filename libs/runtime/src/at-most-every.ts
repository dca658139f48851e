/**
 * Housekeeping a loop does between rounds, at most once every `ms` (a purge, a gauge):
 *
 *   private readonly purging = new AtMostEvery(60_000);
 *   if (this.purging.due()) await purge();
 */
export class AtMostEvery {
  private last = 0;

  constructor(private readonly ms: number) {}

  /** True when `ms` have passed since it was last true (the first time, always); it then counts from `now`. */
  due(now = Date.now()): boolean {
    if (now - this.last < this.ms) return false;
    this.last = now;
    return true;
  }
}
