import { PartitionLag } from './partition-lag';

describe(PartitionLag.name, () => {
  it('is 0 messages and 0 ms behind when the group has committed up to the high watermark', () => {
    const sut = new PartitionLag();
    sut.observe(1000, { high: 10n, low: 0n, committed: 10n });
    expect(sut.messages).toBe(0);
    expect(sut.ageMs(60_000)).toBe(0);
  });

  it('stays at 0 while idle, however long after the last message', () => {
    const sut = new PartitionLag();
    sut.observe(1000, { high: 5n, low: 0n, committed: 5n });
    sut.observe(3_600_000, { high: 5n, low: 0n, committed: 5n });
    expect(sut.ageMs(7_200_000)).toBe(0);
  });

  it('ages the oldest unprojected message from the first sample that saw it', () => {
    const sut = new PartitionLag();
    sut.observe(1000, { high: 10n, low: 0n, committed: 10n });
    sut.observe(2000, { high: 12n, low: 0n, committed: 10n });
    sut.observe(3000, { high: 20n, low: 0n, committed: 10n });
    expect(sut.messages).toBe(10);
    expect(sut.ageMs(3500)).toBe(1500);
  });

  it('moves on to the next sighting once the oldest messages are projected', () => {
    const sut = new PartitionLag();
    sut.observe(2000, { high: 12n, low: 0n, committed: 10n });
    sut.observe(3000, { high: 20n, low: 0n, committed: 10n });
    sut.observe(4000, { high: 20n, low: 0n, committed: 12n });
    expect(sut.ageMs(4500)).toBe(1500);
    sut.observe(5000, { high: 20n, low: 0n, committed: 20n });
    expect(sut.ageMs(5500)).toBe(0);
  });

  it('keeps growing while a dead consumer leaves its partition unprojected', () => {
    const sut = new PartitionLag();
    sut.observe(1000, { high: 3n, low: 0n, committed: 1n });
    sut.observe(31_000, { high: 3n, low: 0n, committed: 1n });
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
