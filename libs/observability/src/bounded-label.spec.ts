import { BoundedLabel, OVERFLOW_LABEL } from './bounded-label';

describe(BoundedLabel.name, () => {
  it('keeps the first values it sees and reports every later one as "other"', () => {
    const sut = new BoundedLabel(2);
    expect(sut.valueOf('wh_a')).toBe('wh_a');
    expect(sut.valueOf('wh_b')).toBe('wh_b');
    expect(sut.valueOf('wh_c')).toBe(OVERFLOW_LABEL);
    expect(sut.valueOf('wh_a')).toBe('wh_a');
    expect(sut.valueOf('wh_d')).toBe(OVERFLOW_LABEL);
  });
});
