/**
 * Releases what finished batches produced in line order: batches finish out of order under concurrency, and a
 * batch's output is handed back only once every batch before it has finished.
 */
export class InOrder<T> {
  private readonly finished = new Map<number, { last: number; values: T[] }>();

  /** `next` is the first line whose batch has not been released yet. */
  constructor(private next: number) {}

  /** A batch covering lines first..last finished with these values; returns those now in order. */
  finish(first: number, last: number, values: T[]): T[] {
    this.finished.set(first, { last, values });
    const released: T[] = [];
    for (let batch = this.finished.get(this.next); batch; batch = this.finished.get(this.next)) {
      this.finished.delete(this.next);
      released.push(...batch.values);
      this.next = batch.last + 1;
    }
    return released;
  }
}
