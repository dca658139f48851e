import fc from 'fast-check';

/** Generators of inputs that are invalid by construction, shared by the hostile-input specs. */

/** Fixed per run of a spec file and printed by it, so a failure can be replayed with FUZZ_SEED. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);

/** Runs `check` on `numRuns` values of `arbitrary` (seeded with FUZZ_SEED), stopping at the first failure. */
export const checkProperty = <T>(
  arbitrary: fc.Arbitrary<T>,
  numRuns: number,
  check: (value: T) => Promise<void>,
) => fc.assert(fc.asyncProperty(arbitrary, check), { numRuns, seed: FUZZ_SEED, endOnFailure: true });

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Any JSON value that is not a string. */
export const nonString = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
);

/** Any JSON value that is not an object. */
export const nonObject = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
);

/** Any JSON value that is not a boolean. */
export const nonBoolean = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.integer(),
  fc.constant(null),
  fc.constantFrom('true', 'false', 1, 0),
  fc.array(fc.boolean(), { maxLength: 2 }),
);

/** Strings of any code points (no lone surrogates), control characters and emoji included. */
export const anyText = (maxLength: number, minLength = 0) =>
  fc.string({ unit: 'binary', minLength, maxLength });

/** Not RFC 3339 date-times with offset: wrong shapes, impossible dates, no offset, non-strings. */
/** One path segment: any text (URI-encoded, up to maxLength) or one of the named suspects. */
export const pathSegment = (maxLength: number, ...suspects: string[]) =>
  fc.oneof(anyText(maxLength, 1).map(encodeURIComponent), fc.constantFrom(...suspects));

export const badDateTime = fc.oneof(
  nonString.filter((v) => v !== undefined),
  fc.string({ maxLength: 40 }).filter((s) => !/^\d{4}-\d{2}-\d{2}T/.test(s)),
  fc.constantFrom(
    '2026-02-30T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-00-10T00:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T00:60:00Z',
    '2026-01-01T00:00:60Z',
    '2026-01-01T00:00:00',
    '2026-01-01T00:00:00+24:00',
    '2026-01-01T00:00:00.Z',
    '2026-01-01',
    '2026-01-01 00:00:00Z',
    '+002026-01-01T00:00:00Z',
    '1700000000',
    'yesterday',
    '',
  ),
);

/** Keys no DTO has, including the names a careless client or an attacker would try. */
export const unknownKey = (allowed: string[]) =>
  fc.oneof(
    fc.string({ minLength: 1, maxLength: 20 }).filter((k) => !allowed.includes(k)),
    fc.constantFrom(
      'occured_at',
      'occurred_at',
      'id',
      'workspaceId',
      'workspace_id',
      'createdAt',
      'secret',
      'admin',
    ),
    // Named like Object.prototype members: easy for a framework to overlook as fields.
    fc.constantFrom(
      'valueOf',
      'toString',
      'hasOwnProperty',
      'isPrototypeOf',
      '__defineGetter__',
      '__lookupSetter__',
    ),
  );

export const without = <T extends Record<string, unknown>>(
  value: T,
  key: string,
): Record<string, unknown> => {
  const copy: Record<string, unknown> = { ...value };
  delete copy[key];
  return copy;
};

/** `base` with `key` set to `value` as an own property (also for `__proto__`, as JSON.parse would make it). */
export const withKey = (
  base: Record<string, unknown>,
  key: string,
  value: unknown,
): Record<string, unknown> => {
  const copy: Record<string, unknown> = { ...base };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
};

/** No key named __proto__, constructor or prototype anywhere: those make the whole request a 400 by design. */
export const noReservedKeys = (value: unknown): boolean =>
  !/"(__proto__|constructor|prototype)":/.test(JSON.stringify(value) ?? '');

/** A query string from raw pairs, each part percent-encoded. */
export const queryOf = (pairs: Array<[string, string]>): string =>
  pairs.length === 0
    ? ''
    : `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`;
