import fc from 'fast-check';
import { firstUnsafeValueProblem, MAX_REQUEST_DEPTH, unsafeValueProblem } from './validation.pipe';

const nested = (depth: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { child: value } : [value];
  return value;
};

describe(unsafeValueProblem.name, () => {
  it.each([
    [{ a: { ['__proto__']: 1 } }, 'a.__proto__', /reserved/],
    [JSON.parse('{"list":[{"ok":1},{"__proto__":{}}]}'), 'list[1].__proto__', /reserved/],
    [{ events: [{ payload: { prototype: true } }] }, 'events[0].payload.prototype', /reserved/],
    [{ constructor: 'x' }, 'constructor', /reserved/],
  ])('names the reserved key in %j', (value, field, message) => {
    expect(unsafeValueProblem(value)).toEqual({ field, message: expect.stringMatching(message) });
  });

  it(`accepts ${MAX_REQUEST_DEPTH} levels of nesting and refuses one more, however deep the value goes`, () => {
    expect(unsafeValueProblem(nested(MAX_REQUEST_DEPTH))).toBeUndefined();
    expect(unsafeValueProblem(nested(MAX_REQUEST_DEPTH + 1))?.message).toMatch(/nests deeper/);
    expect(unsafeValueProblem(nested(200_000))?.message).toMatch(/nests deeper/);
  });

  it('accepts reserved names as values and array items, and buffers as leaves', () => {
    expect(
      unsafeValueProblem({ type: '__proto__', list: ['constructor'], raw: Buffer.from('{}') }),
    ).toBeUndefined();
  });

  it('gives the verdict of the walk that names the field, for any value (its quick check decides alone)', () => {
    const key = fc.oneof(
      fc.string({ maxLength: 4 }),
      fc.constantFrom('__proto__', 'constructor', 'prototype'),
    );
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.jsonValue({ maxDepth: 0 }),
        tie('array'),
        tie('object'),
      ),
      array: fc.array(tie('value'), { maxLength: 3 }),
      // JSON.parse makes __proto__ an own key, as a request body has it.
      object: fc
        .array(fc.tuple(key, tie('value')), { maxLength: 3 })
        .map(
          (entries) =>
            JSON.parse(
              `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`,
            ) as unknown,
        ),
    }));
    let refused = 0;
    fc.assert(
      fc.property(value, fc.integer({ min: 0, max: 6 }), (v, depth) => {
        // Wrapped to near the depth limit, so that both sides of it are tried.
        let wrapped = v;
        for (let i = 0; i < MAX_REQUEST_DEPTH - depth; i++) wrapped = [wrapped];
        const expected = firstUnsafeValueProblem(wrapped);
        if (expected) refused++;
        expect(unsafeValueProblem(wrapped)).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
    expect(refused).toBeGreaterThan(100);
    expect(refused).toBeLessThan(1900);
  });
});
