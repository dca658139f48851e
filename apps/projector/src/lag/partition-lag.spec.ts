import { PartitionLag } from './partition-lag';

/** A sample with the low watermark at 0: what most partitions look like before retention deletes anything. */
const observe = (sut: PartitionLag, at: number, high: bigint, committed: bigint) =>
  sut.observe(at, { high, low: 0n, committed });

/** A PartitionLag that has seen these samples (`[at, high, committed]`), in order. */
function lagAfter(...samples: Array<[at: number, high: bigint, committed: bigint]>): PartitionLag {
  const sut = new PartitionLag();
  for (const [at, high, committed] of samples) observe(sut, at, high, committed);
  return sut;
}

describe(PartitionLag.name, () => {
  it('is 0 messages and 0 ms behind when the group has committed up to the high watermark', () => {
    const sut = lagAfter([1000, 10n, 10n]);
    expect(sut.messages).toBe(0);
    expect(sut.ageMs(60_000)).toBe(0);
  });

  it('stays at 0 while idle, however long after the last message', () => {
    const sut = lagAfter([1000, 5n, 5n], [3_600_000, 5n, 5n]);
    expect(sut.ageMs(7_200_000)).toBe(0);
  });

  it('ages the oldest unprojected message from the first sample that saw it', () => {
    const sut = lagAfter([1000, 10n, 10n], [2000, 12n, 10n], [3000, 20n, 10n]);
    expect(sut.messages).toBe(10);
    expect(sut.ageMs(3500)).toBe(1500);
  });

  it('moves on to the next sighting once the oldest messages are projected', () => {
    const sut = lagAfter([2000, 12n, 10n], [3000, 20n, 10n], [4000, 20n, 12n]);
    expect(sut.ageMs(4500)).toBe(1500);
    observe(sut, 5000, 20n, 20n);
    expect(sut.ageMs(5500)).toBe(0);
  });

  it('keeps growing while a dead consumer leaves its partition unprojected', () => {
    const sut = lagAfter([1000, 3n, 1n], [31_000, 3n, 1n]);
    expect(sut.ageMs(31_000)).toBe(30_000);
  });

  it('counts from the low watermark when the group has not committed yet', () => {
    const sut = new PartitionLag();
    sut.observe(1000, { high: 100n, low: 40n, committed: null });
    expect(sut.messages).toBe(60);
    expect(sut.ageMs(1000)).toBe(0);
    expect(sut.ageMs(1250)).toBe(250);
  });
});
