import { Linger } from './linger';

describe('Linger', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('hands over what was pushed within lingerMs of the first item as one batch', () => {
    const batches: string[][] = [];
    const linger = new Linger<string>({ lingerMs: 5, maxWeight: 100 }, (batch) => batches.push(batch));
    linger.push('a');
    jest.advanceTimersByTime(4);
    linger.push('b');
    expect(batches).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(batches).toEqual([['a', 'b']]);
    linger.push('c');
    jest.advanceTimersByTime(5);
    expect(batches).toEqual([['a', 'b'], ['c']]);
  });

  it('hands over at once when the items reach maxWeight, without waiting for the linger', () => {
    const batches: string[][] = [];
    const linger = new Linger<string>({ lingerMs: 10_000, maxWeight: 5 }, (batch) => batches.push(batch));
    linger.push('two', 2);
    linger.push('three', 3);
    expect(batches).toEqual([['two', 'three']]);
    jest.advanceTimersByTime(10_000);
    expect(batches).toHaveLength(1);
  });

  it('flush hands over what is queued now, and nothing when the queue is empty', () => {
    const batches: string[][] = [];
    const linger = new Linger<string>({ lingerMs: 10_000, maxWeight: 100 }, (batch) => batches.push(batch));
    linger.flush();
    linger.push('a');
    linger.flush();
    jest.advanceTimersByTime(10_000);
    expect(batches).toEqual([['a']]);
  });
});
