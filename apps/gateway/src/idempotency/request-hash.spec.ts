import { requestHash } from './request-hash';

const base = { customerExternalId: 'user_42', type: 'order.placed' };

describe(requestHash.name, () => {
  it('ignores key order at every level', () => {
    expect(requestHash({ ...base, payload: { a: 1, b: { c: 2, d: [1, { e: 3, f: 4 }] } } })).toBe(
      requestHash({
        type: 'order.placed',
        payload: { b: { d: [1, { f: 4, e: 3 }], c: 2 }, a: 1 },
        customerExternalId: 'user_42',
      }),
    );
  });

  it('counts an omitted payload as {} and one instant in two offsets as the same', () => {
    expect(requestHash(base)).toBe(requestHash({ ...base, payload: {} }));
    expect(requestHash({ ...base, occurredAt: '2026-04-18T12:00:00+02:00' })).toBe(
      requestHash({ ...base, occurredAt: '2026-04-18T10:00:00.000Z' }),
    );
  });

  it.each([
    ['type', { ...base, type: 'order.paid' }],
    ['customer', { ...base, customerExternalId: 'user_43' }],
    ['payload value', { ...base, payload: { total: 1 } }],
    ['array order in the payload', { ...base, payload: { items: [2, 1] } }],
    ['occurredAt', { ...base, occurredAt: '2026-04-18T10:00:00Z' }],
  ])('tells bodies apart that differ in %s', (_, other) => {
    expect(requestHash(other)).not.toBe(requestHash({ ...base, payload: { items: [1, 2] } }));
  });
});
