import { jsonObjectProblem, MAX_JSON_DEPTH } from './is-json-object';

function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < depth; i++) value = { child: value };
  return value;
}

describe(jsonObjectProblem.name, () => {
  it('accepts a plain object with nested arrays and objects', () => {
    expect(
      jsonObjectProblem({ orderId: 'ord_9001', lines: [{ sku: 'a', qty: 2 }], total: 149.9 }),
    ).toBeUndefined();
  });

  it.each([
    ['an array', [1, 2]],
    ['a string', 'x'],
    ['a number', 3],
    ['null', null],
  ])('refuses %s', (_, value) => expect(jsonObjectProblem(value)).toBe('must be a JSON object'));

  it('refuses NUL characters in values and keys (PostgreSQL jsonb cannot store them)', () => {
    expect(jsonObjectProblem({ note: 'a\u0000b' })).toMatch(/NUL/);
    expect(jsonObjectProblem({ ['k\u0000']: 1 })).toMatch(/NUL/);
    expect(jsonObjectProblem({ deep: [{ x: '\u0000' }] })).toMatch(/NUL/);
  });

  it(`accepts ${MAX_JSON_DEPTH} levels of nesting and refuses one more`, () => {
    expect(jsonObjectProblem(nested(MAX_JSON_DEPTH))).toBeUndefined();
    expect(jsonObjectProblem(nested(MAX_JSON_DEPTH + 1))).toMatch(/deeper/);
  });

  it('walks 10,000 levels without overflowing the stack', () => {
    expect(jsonObjectProblem(nested(10_000))).toMatch(/deeper/);
  });
});
