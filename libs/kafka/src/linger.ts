/**
 * The linger that kafkajs lacks (Kafka's own producers have `linger.ms`): what is pushed within `lingerMs` of the
 * first item, or until the items weigh `maxWeight` (messages, say), is handed over as one batch, so that
 * concurrent callers share one produce request and its round trip.
 */
export class Linger<T> {
  private items: T[] = [];
  private weight = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly options: { lingerMs: number; maxWeight: number },
    private readonly send: (batch: T[]) => void,
  ) {}

  push(item: T, weight = 1): void {
    this.items.push(item);
    this.weight += weight;
    if (this.weight >= this.options.maxWeight) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.options.lingerMs);
  }

  /** Hands over what is queued now (nothing when the queue is empty). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.items;
    if (batch.length === 0) return;
    this.items = [];
    this.weight = 0;
    this.send(batch);
  }
}
