import { StreamSlots } from './stream-slots';

describe(StreamSlots.name, () => {
  it('refuses a key past its own quota while other keys still get slots', () => {
    const sut = new StreamSlots(10, 2);
    expect([sut.take('mu_a'), sut.take('mu_a'), sut.take('mu_a')]).toEqual(['taken', 'taken', 'key-full']);
    expect(sut.take('mu_b')).toBe('taken');
  });

  it('keeps the process-wide cap as the last resort', () => {
    const sut = new StreamSlots(3, 2);
    expect([sut.take('mu_a'), sut.take('mu_a'), sut.take('mu_b'), sut.take('mu_c')]).toEqual([
      'taken',
      'taken',
      'taken',
      'all-full',
    ]);
  });

  it('gives a slot back on release, and ignores a release of a slot it does not hold', () => {
    const sut = new StreamSlots(2, 1);
    sut.take('mu_a');
    sut.release('mu_a');
    sut.release('mu_a');
    sut.release('mu_b');
    expect(sut.heldBy('mu_a')).toBe(0);
    expect([sut.take('mu_a'), sut.take('mu_b'), sut.take('mu_c')]).toEqual(['taken', 'taken', 'all-full']);
  });
});
