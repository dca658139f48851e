/** The label value every value past the cap shares. */
export const OVERFLOW_LABEL = 'other';

/**
 * Keeps a label's cardinality bounded: the first `max` distinct values seen by this process keep their own
 * value, every later one is reported as "other". Prometheus stores one series per value, so a label fed from
 * user data (a target id) must never grow without bound.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(readonly max: number) {}

  valueOf(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max) return OVERFLOW_LABEL;
    this.seen.add(value);
    return value;
  }
}
