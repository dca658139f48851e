import { TokenBucket } from './token-bucket';

describe(TokenBucket.name, () => {
  it('allows a full burst at once, then refuses with the seconds until the next token', () => {
    const sut = new TokenBucket(2, 3, 0);

    const decisions = [sut.take(0), sut.take(0), sut.take(0), sut.take(0)];

    expect(decisions.map((d) => [d.allowed, d.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
    expect(decisions[3]).toMatchObject({ limit: 3, retryAfterSeconds: 1, resetSeconds: 2 });
  });

  it('refills continuously at its rate, never above its capacity', () => {
    const sut = new TokenBucket(1, 2, 0);
    sut.take(0);
    sut.take(0);

    expect(sut.take(500).allowed).toBe(false);
    expect(sut.take(1000).allowed).toBe(true);
    expect(sut.take(60_000)).toMatchObject({ allowed: true, remaining: 1 });
  });

  it('rounds Retry-After up to whole seconds, at least 1', () => {
    const slow = new TokenBucket(0.25, 1, 0);
    slow.take(0);
    const fast = new TokenBucket(100, 1, 0);
    fast.take(0);

    expect(slow.take(0).retryAfterSeconds).toBe(4);
    expect(fast.take(0).retryAfterSeconds).toBe(1);
  });

  it('reports the seconds until the bucket is full again as its reset', () => {
    const sut = new TokenBucket(1, 3, 0);
    sut.take(0);
    sut.take(0);

    expect(sut.take(0).resetSeconds).toBe(3);
    expect(sut.take(2500).resetSeconds).toBe(2);
  });

  it('takes a batch cost all at once, and takes nothing when the cost is over what is left', () => {
    const sut = new TokenBucket(10, 100, 0);

    expect(sut.take(0, 60)).toMatchObject({ allowed: true, remaining: 40 });
    expect(sut.take(0, 50)).toMatchObject({ allowed: false, remaining: 40, retryAfterSeconds: 1 });
    expect(sut.take(0, 40)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('never allows a cost above its capacity, with Retry-After until it is full', () => {
    const sut = new TokenBucket(10, 100, 0);
    sut.take(0, 100);

    expect(sut.take(0, 1000)).toMatchObject({ allowed: false, remaining: 0, retryAfterSeconds: 10 });
    expect(sut.take(60_000, 101).allowed).toBe(false);
  });
});
