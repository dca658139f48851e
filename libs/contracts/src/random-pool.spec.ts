import { randomByte, randomHex } from './random-pool';

describe('the process random pool', () => {
  it('hands out hex of the asked length, never twice the same, also across refills of the 4 KiB pool', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const hex = randomHex(16); // 32 KB in all: the pool refills several times, at odd offsets too
      expect(hex).toMatch(/^[0-9a-f]{32}$/);
      seen.add(hex);
      randomByte();
    }
    expect(seen.size).toBe(2000);
  });

  it('gives bytes spread over 0–255', () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 256 * 200; i++) counts[randomByte()]++;
    // 200 expected per value; a fair source stays far inside these bounds (a stuck pool would not).
    expect(Math.min(...counts)).toBeGreaterThan(100);
    expect(Math.max(...counts)).toBeLessThan(320);
  });
});
