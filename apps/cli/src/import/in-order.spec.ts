import { InOrder } from './in-order';

describe(InOrder.name, () => {
  it('holds a batch that finished early until every batch before it has finished', () => {
    const sut = new InOrder<number>(1);
    expect(sut.finish(11, 20, [12, 15])).toEqual([]);
    expect(sut.finish(21, 30, [30])).toEqual([]);
    expect(sut.finish(1, 10, [3])).toEqual([3, 12, 15, 30]);
    expect(sut.finish(31, 40, [])).toEqual([]);
    expect(sut.finish(41, 41, [41])).toEqual([41]);
  });

  it('starts after the lines a resumed run skips', () => {
    const sut = new InOrder<string>(501);
    expect(sut.finish(501, 600, ['a'])).toEqual(['a']);
  });
});
