import fc from 'fast-check';
import { request } from '@test/support/api-client';
import type { AppProcess } from '@test/support/app-process';
import { eventually } from '@test/support/eventually';
import { expectRefusal, send } from '@test/support/hostile-http';
import { gatewayAndProjectorWithCustomer } from './projector-fixtures';

/**
 * The acceptance property, across the real path (gateway → Kafka → projector → timeline API): whatever the
 * gateway acknowledges, the projector stores exactly as sent. Arbitrary JSON payloads (all of Unicode, lone
 * surrogates and NUL included, numbers huge, tiny, -0 and beyond 2^53) and arbitrary RFC 3339 dates (every
 * year 0000–9999 with offsets, impossible calendar dates included) are posted, alone or in batches:
 * - every 201 (or accepted batch item) is on the timeline with its payload equal as JSON text, key order
 *   included, to what was sent, and its occurredAt the instant sent (cut to the millisecond);
 * - every refusal is a 4xx with the error envelope, and it is a refusal exactly when the event holds something
 *   a consumer could not store as sent (the rule README.md states, checked here with an independent model).
 * "Equal as JSON text" compares JSON.stringify(JSON.parse(text)) of what was sent with JSON.stringify of what
 * the timeline returns: a JSON parser itself writes -0 as 0, 1.0 as 1 and puts integer-like keys first; any
 * other difference (reordered keys, a changed number or string) fails. Replay a failure with FC_SEED=<the printed seed>.
 */
const SEED = Number(process.env.FC_SEED ?? Date.now() % 2_147_483_647);
const NUM_RUNS = 200;
const MAX_PAYLOAD_BYTES = 32 * 1024;

/** A generated JSON text, and whether every consumer can store it as sent (the independent model). */
interface Gen {
  text: string;
  storable: boolean;
}

const storableText = (s: string) =>
  (s as string & { isWellFormed(): boolean }).isWellFormed() && !s.includes('\u0000');

// Weighted so that about half the events are storable: one bad leaf refuses the whole event.
const HOSTILE_STRINGS = [
  'a\ud800b',
  '\udc00',
  '\ud800\ud800\udc00',
  '\u0000',
  'x\u0000y',
  '\ud83c\udf89',
  '',
  '"\\',
];
const stringValue = fc
  .oneof(
    { arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }), weight: 8 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 12 }), weight: 1 },
    { arbitrary: fc.constantFrom(...HOSTILE_STRINGS), weight: 1 },
  )
  // JSON.stringify escapes a lone surrogate (`\ud800`): the text sent is well-formed UTF-8 either way.
  .map((s): Gen => ({ text: JSON.stringify(s), storable: storableText(s) }));

const HOSTILE_NUMBERS = [
  '-0',
  '-0.0',
  '1e400',
  '-1e400',
  '1e-400',
  '5e-324',
  '9007199254740991',
  '-9007199254740991',
  '9007199254740992',
  '9007199254740993',
  '0.10000000000000000000001',
  '1.7976931348623157e308',
  '123456789012345678901234567890',
];
const doubleText = (d: number) => (Object.is(d, -0) ? '-0' : String(d));
const numberLiteral = fc.oneof(
  { arbitrary: fc.double({ min: -1e15, max: 1e15, noNaN: true }).map(doubleText), weight: 4 },
  { arbitrary: fc.integer().map(String), weight: 4 },
  { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).map(doubleText), weight: 1 },
  { arbitrary: fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String), weight: 1 },
  {
    arbitrary: fc
      .tuple(
        fc.integer({ min: -99_999, max: 99_999 }),
        fc.nat({ max: 99_999_999 }),
        fc.integer({ min: -420, max: 10 }),
      )
      .map(([int, fraction, exponent]) => `${int}.${fraction}e${exponent}`),
    weight: 2,
  },
  { arbitrary: fc.constantFrom(...HOSTILE_NUMBERS), weight: 1 },
);
/** A decimal literal as an exact rational m × 10^e (BigInt), for comparing two literals' values exactly. */
function exactDecimal(literal: string): { m: bigint; e: number } {
  const [mantissa, exponent = '0'] = literal.toLowerCase().split('e');
  const [integer, fraction = ''] = mantissa.split('.');
  return { m: BigInt(integer + fraction), e: Number(exponent) - fraction.length };
}
function sameValue(a: string, b: string): boolean {
  const x = exactDecimal(a);
  const y = exactDecimal(b);
  const e = Math.min(x.e, y.e);
  return x.m * 10n ** BigInt(x.e - e) === y.m * 10n ** BigInt(y.e - e);
}
// The model: a number is storable when its value lies within ±(2^53−1) once parsed, and the literal is exactly
// the value of the double it parses to, as that double is written back (1e-400 is not 0, 0.1…0001 is not 0.1).
const numberValue = numberLiteral.map((literal): Gen => {
  const parsed = Number(literal);
  return {
    text: literal,
    storable:
      Math.abs(parsed) <= Number.MAX_SAFE_INTEGER &&
      Number.isFinite(parsed) &&
      sameValue(literal, String(parsed)),
  };
});

const RESERVED_KEYS = ['__proto__', 'constructor', 'prototype'];
const HOSTILE_KEYS = [
  'a',
  'b',
  'z',
  'A',
  '0',
  '1',
  '10',
  '-1',
  'toString',
  'valueOf',
  '',
  'a\ud800',
  '\u0000k',
];
const key = fc
  .oneof(
    { arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }), weight: 6 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 8 }), weight: 1 },
    { arbitrary: fc.constantFrom(...HOSTILE_KEYS), weight: 2 },
    { arbitrary: fc.nat({ max: 20 }).map(String), weight: 2 },
  )
  .filter((k) => !RESERVED_KEYS.includes(k));

const objectOf = (value: fc.Arbitrary<Gen>, maxKeys: number) =>
  fc.uniqueArray(fc.tuple(key, value), { selector: ([k]) => k, maxLength: maxKeys }).map((entries): Gen => ({
    text: `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v.text}`).join(',')}}`,
    storable: entries.every(([k, v]) => storableText(k) && v.storable),
  }));

const { value: jsonValue } = fc.letrec<{ value: Gen; array: Gen; object: Gen }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 5 },
    stringValue,
    numberValue,
    fc.constantFrom('true', 'false', 'null').map((text): Gen => ({ text, storable: true })),
    tie('array'),
    tie('object'),
  ),
  array: fc.array(tie('value'), { maxLength: 6 }).map((items): Gen => ({
    text: `[${items.map((i) => i.text).join(',')}]`,
    storable: items.every((i) => i.storable),
  })),
  object: objectOf(tie('value'), 6),
}));
// Deep-ish (up to 6 levels) and, now and then, wide (up to 40 keys at the top).
const payload = fc.oneof(objectOf(jsonValue, 8), objectOf(jsonValue, 40));

interface GenDate {
  text: string;
  /** The instant in ms (fraction beyond the ms kept) when it is a real calendar date, else undefined. */
  exactMs?: number;
  storable: boolean;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysIn = (y: number, m: number) =>
  [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
/** Days since 1970-01-01 of a proleptic Gregorian date, by arithmetic (no Date, so no 19xx mapping). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

const occurredAt = fc
  .record({
    year: fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(0, 1, 99, 100, 9999)),
    month: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.constantFrom(0, 13)),
    day: fc.oneof(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 0, max: 32 })),
    hour: fc.integer({ min: 0, max: 24 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 59 }),
    fraction: fc.option(fc.stringMatching(/^\d{1,9}$/), { nil: undefined }),
    offset: fc.option(
      fc.record({
        sign: fc.constantFrom(1, -1),
        hours: fc.integer({ min: 0, max: 23 }),
        minutes: fc.integer({ min: 0, max: 59 }),
      }),
      { nil: undefined },
    ),
  })
  .map(({ year, month, day, hour, minute, second, fraction, offset }): GenDate => {
    const zone = offset ? `${offset.sign > 0 ? '+' : '-'}${pad(offset.hours)}:${pad(offset.minutes)}` : 'Z';
    const text =
      `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}` +
      `${fraction === undefined ? '' : `.${fraction}`}${zone}`;
    const realDate = month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month) && hour <= 23;
    if (!realDate) return { text, storable: false };
    const offsetMinutes = offset ? offset.sign * (offset.hours * 60 + offset.minutes) : 0;
    const wholeMs =
      daysFromCivil(year, month, day) * 86_400_000 +
      ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 +
      // Whole milliseconds and the rest apart: 0.57 * 1000 is not 570 in floating point.
      Number((fraction ?? '').padEnd(3, '0').slice(0, 3));
    // The rest of the millisecond, kept below the next one: near year 9999 a double is only 1/32 ms apart, and
    // wholeMs + 0.989 would round up to wholeMs + 1, an instant that was not sent.
    const belowNextMs = wholeMs + 1 - Number.EPSILON * Math.max(1, Math.abs(wholeMs + 1));
    const exactMs = Math.min(wholeMs + Number(`0.${fraction?.slice(3) ?? ''}0`), belowNextMs);
    const instantYear = new Date(Math.floor(exactMs)).getUTCFullYear();
    return { text, exactMs, storable: instantYear >= 1 && instantYear <= 9999 };
  });

interface GenEvent {
  payload: Gen;
  occurredAt?: GenDate;
}
const event = fc.record(
  { payload, occurredAt: fc.option(occurredAt, { nil: undefined, freq: 4 }) },
  { requiredKeys: ['payload'] },
);

/** What an accepted event must look like on the timeline. */
interface Expected {
  id: string;
  payloadJson: string;
  occurredAt?: number;
}

describe('hostile: the gateway acknowledges exactly what the projector stores as sent (property)', () => {
  let gateway: AppProcess;
  let projector: AppProcess;
  let apiKey: string;
  let externalId: string;
  const accepted: Expected[] = [];
  let refusals = 0;

  beforeAll(async () => {
    ({ gateway, projector, apiKey, externalId } = await gatewayAndProjectorWithCustomer());
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), projector?.stop()]);
  });

  const bodyOf = (e: GenEvent) =>
    `{"customerExternalId":${JSON.stringify(externalId)},"type":"prop.check","payload":${e.payload.text}` +
    `${e.occurredAt ? `,"occurredAt":${JSON.stringify(e.occurredAt.text)}` : ''}}`;
  const storable = (e: GenEvent) => e.payload.storable && (e.occurredAt?.storable ?? true);
  const tooLarge = (e: GenEvent) =>
    Buffer.byteLength(JSON.stringify(JSON.parse(e.payload.text))) > MAX_PAYLOAD_BYTES;
  const expectedOf = (e: GenEvent, data: { id: string; payload: unknown; occurredAt: string }): Expected => {
    const payloadJson = JSON.stringify(JSON.parse(e.payload.text));
    expect(JSON.stringify(data.payload)).toBe(payloadJson);
    if (e.occurredAt) expectInstant(data.occurredAt, e.occurredAt.exactMs!);
    return { id: data.id, payloadJson, occurredAt: e.occurredAt?.exactMs };
  };
  /** The instant sent, cut to the millisecond: never moved by more than the fraction dropped. */
  const expectInstant = (iso: string, exactMs: number) => {
    expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const delta = exactMs - Date.parse(iso);
    if (!(delta >= 0 && delta < 1))
      throw new Error(`occurredAt ${iso} is not the instant sent (${exactMs} ms)`);
  };
  /** A refusal names the field at fault: occurredAt when the date is, otherwise something in the payload. */
  const expectNamedField = (e: GenEvent, error: { code: string; details: Array<{ field: string }> }) => {
    expect(error.code).toBe('VALIDATION_ERROR');
    const field = error.details[0]?.field ?? '';
    if (e.occurredAt && !e.occurredAt.storable) expect(field).toBe('occurredAt');
    else expect(field.startsWith('payload')).toBe(true);
  };

  async function postOne(e: GenEvent): Promise<void> {
    const answer = await send(gateway.url, 'POST', '/api/v1/customer-events', {
      rawBody: bodyOf(e),
      headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
    });
    if (!storable(e)) {
      expectRefusal(answer, [400]);
      expectNamedField(e, answer.body.error);
      refusals++;
    } else if (tooLarge(e)) {
      expectRefusal(answer, [413]);
      refusals++;
    } else {
      if (answer.status !== 201) throw new Error(`storable event refused: ${answer.status} ${answer.text}`);
      accepted.push(expectedOf(e, answer.body.data));
    }
  }

  async function postBatch(events: GenEvent[]): Promise<void> {
    const answer = await send(gateway.url, 'POST', '/api/v1/customer-events/batch', {
      rawBody: `{"events":[${events.map(bodyOf).join(',')}]}`,
      headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
    });
    if (answer.status !== 200)
      throw new Error(`batch answered ${answer.status} ${answer.text.slice(0, 300)}`);
    const results = answer.body.data.results as Array<{ success: boolean; data?: any; error?: any }>;
    events.forEach((e, i) => {
      const result = results[i];
      if (!storable(e)) {
        expect(result.success).toBe(false);
        expectNamedField(e, result.error);
        refusals++;
      } else if (tooLarge(e)) {
        expect(result).toMatchObject({ success: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
        refusals++;
      } else {
        if (!result.success) throw new Error(`storable item refused: ${JSON.stringify(result.error)}`);
        accepted.push(expectedOf(e, result.data));
      }
    });
  }

  it('every acknowledged event lands on the timeline exactly as sent; every refusal is a 4xx', async () => {
    console.log(`hostile-acceptance-property: seed ${SEED} (replay with FC_SEED=${SEED})`);
    await fc.assert(
      fc.asyncProperty(
        fc.array(event, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        async (events, batch) => {
          if (events.length === 1 && !batch) await postOne(events[0]);
          else await postBatch(events);
        },
      ),
      { numRuns: NUM_RUNS, seed: SEED, endOnFailure: true },
    );
    console.log(`hostile-acceptance-property: ${accepted.length} events accepted, ${refusals} refused`);
    expect(accepted.length).toBeGreaterThan(NUM_RUNS / 4);
    expect(refusals).toBeGreaterThan(0);

    const items = await eventually(async () => {
      const byId = await timelineItems();
      const missing = accepted.filter((a) => !byId.has(a.id));
      if (missing.length > 0)
        throw new Error(`${missing.length} acknowledged events missing from the timeline`);
      return byId;
    }, 30_000);
    const wrong = accepted.filter((a) => {
      const item = items.get(a.id)!;
      return JSON.stringify(item.payload) !== a.payloadJson;
    });
    expect(wrong.map((a) => [a.payloadJson, JSON.stringify(items.get(a.id)!.payload)])).toEqual([]);
    for (const a of accepted)
      if (a.occurredAt !== undefined) expectInstant(items.get(a.id)!.occurredAt, a.occurredAt);
  });

  /** Every item of the customer's timeline, page after page. */
  async function timelineItems(): Promise<Map<string, { payload: unknown; occurredAt: string }>> {
    const byId = new Map<string, { payload: unknown; occurredAt: string }>();
    let cursor: string | undefined;
    for (;;) {
      const query = `limit=200&types=prop.check${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await request(projector.url, 'GET', `/api/v1/customers/${externalId}/timeline?${query}`, {
        apiKey,
      });
      if (page.status !== 200) throw new Error(`timeline answered ${page.status}`);
      for (const item of page.body.data.items) byId.set(item.id, item);
      if (!page.body.data.hasMore) return byId;
      cursor = page.body.data.nextCursor;
    }
  }
});
