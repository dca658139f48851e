import { AtMostEvery } from './at-most-every';

describe(AtMostEvery.name, () => {
  it('is due the first time, then once the interval has passed since it was last due', () => {
    const sut = new AtMostEvery(1000);
    expect(sut.due(5000)).toBe(true);
    expect(sut.due(5999)).toBe(false);
    expect(sut.due(6000)).toBe(true);
    expect(sut.due(6500)).toBe(false);
  });
});
