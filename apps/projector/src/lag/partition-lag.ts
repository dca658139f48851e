export interface PartitionOffsets {
  /** The offset the next produced message will get. */
  high: bigint;
  /** The oldest offset still retained. */
  low: bigint;
  /** The group's committed offset (the next message to project), or null when it has none yet. */
  committed: bigint | null;
}

const MAX_SIGHTINGS = 10_000;

/**
 * How far behind the projection is on one partition. Kafka tells offsets, not ages, so every sample records
 * when each new high watermark was first seen: the oldest unprojected message (at the committed offset) has
 * existed at least since the first sample whose high watermark was above it. Caught up means 0.
 */
export class PartitionLag {
  private sightings: Array<{ high: bigint; at: number }> = [];
  private next = 0n;
  private high = 0n;

  observe(at: number, offsets: PartitionOffsets): void {
    const { high, low, committed } = offsets;
    this.next = committed === null || committed < low ? low : committed;
    this.high = high;
    while (this.sightings.length > 0 && this.sightings[0].high <= this.next) this.sightings.shift();
    const newest = this.sightings[this.sightings.length - 1];
    const behind = high > this.next;
    if (behind && (!newest || (high > newest.high && this.sightings.length < MAX_SIGHTINGS))) {
      this.sightings.push({ high, at });
    }
  }

  /** Messages produced and not yet projected. */
  get messages(): number {
    return this.high > this.next ? Number(this.high - this.next) : 0;
  }

  /** Milliseconds the oldest unprojected message has been waiting (to within one sample interval). */
  ageMs(now: number): number {
    const oldest = this.sightings[0];
    return oldest ? Math.max(0, now - oldest.at) : 0;
  }
}
