import { nestsDeeperThan } from './json-depth';

const nested = (levels: number, open = '{"a":', close = '}') =>
  open.repeat(levels) + '1' + close.repeat(levels);

describe(nestsDeeperThan.name, () => {
  it('allows exactly the limit and refuses one level more, for objects and arrays', () => {
    expect(nestsDeeperThan(nested(64), 64)).toBe(false);
    expect(nestsDeeperThan(nested(65), 64)).toBe(true);
    expect(nestsDeeperThan(nested(64, '[', ']'), 64)).toBe(false);
    expect(nestsDeeperThan(nested(65, '[', ']'), 64)).toBe(true);
  });

  it('refuses 500,000 levels of a 1 MiB body', () => {
    expect(nestsDeeperThan('['.repeat(500_000) + ']'.repeat(500_000), 64)).toBe(true);
    expect(nestsDeeperThan('{"a":'.repeat(200_000), 64)).toBe(true);
  });

  it('counts brackets inside strings (escaped quotes included) as text, not nesting', () => {
    const text = JSON.stringify({ s: '{'.repeat(1000) + '\\"[[[' + '['.repeat(1000) });
    expect(nestsDeeperThan(text, 64)).toBe(false);
  });

  it('counts depth, not the number of containers: many siblings are fine', () => {
    const batch = JSON.stringify({ events: Array.from({ length: 1000 }, () => ({ payload: { a: [1] } })) });
    expect(nestsDeeperThan(batch, 64)).toBe(false);
  });
});
