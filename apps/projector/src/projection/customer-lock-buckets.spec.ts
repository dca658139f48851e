import { newId } from '@app/contracts';
import { LOCK_BUCKETS, lockBucketOf } from './customer-lock-buckets';

describe('lockBucketOf', () => {
  it('gives one customer the same bucket every time (every replica must agree)', () => {
    expect(lockBucketOf('c_01KAKR7V3M6Y9Q8T2W4X5Z6A7B')).toBe(lockBucketOf('c_01KAKR7V3M6Y9Q8T2W4X5Z6A7B'));
  });

  it('spreads customers over all the buckets, within range', () => {
    const used = new Set(Array.from({ length: 5000 }, () => lockBucketOf(newId('c'))));
    for (const bucket of used) expect(bucket >= 0 && bucket < LOCK_BUCKETS).toBe(true);
    expect(used.size).toBe(LOCK_BUCKETS);
  });
});
