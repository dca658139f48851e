/**
 * Counts open live streams, per API key and in all: one key may not take every slot of a replica and lock the
 * other workspaces out. `take` either takes a slot or says which limit is reached; `release` gives it back.
 */
export class StreamSlots {
  private readonly perKey = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly maxTotal: number,
    private readonly maxPerKey: number,
  ) {}

  take(apiKeyId: string): 'taken' | 'key-full' | 'all-full' {
    const held = this.perKey.get(apiKeyId) ?? 0;
    if (held >= this.maxPerKey) return 'key-full';
    if (this.total >= this.maxTotal) return 'all-full';
    this.perKey.set(apiKeyId, held + 1);
    this.total++;
    return 'taken';
  }

  release(apiKeyId: string): void {
    const held = this.perKey.get(apiKeyId) ?? 0;
    if (held === 0) return;
    if (held === 1) this.perKey.delete(apiKeyId);
    else this.perKey.set(apiKeyId, held - 1);
    this.total--;
  }

  heldBy(apiKeyId: string): number {
    return this.perKey.get(apiKeyId) ?? 0;
  }
}
