/* eslint-disable @typescript-eslint/no-require-imports -- kafkajs's internal modules, which the patch replaces */
import fc from 'fast-check';
import {
  directProduceRequest,
  fitsDirectEncoding,
  installDirectProduceEncoding,
  type ProduceRequestArgs,
} from './direct-produce-encoding';

type Factory = Parameters<typeof directProduceRequest>[0];
const PRODUCE = 'kafkajs/src/protocol/requests/produce';
const kafkajsProduceRequest = require(`${PRODUCE}/v3/request`) as Factory;
const Long = require('kafkajs/src/utils/long') as { fromValue(value: unknown): unknown };
const direct = directProduceRequest(kafkajsProduceRequest);

const encoded = async (factory: Factory, args: ProduceRequestArgs) =>
  Buffer.from(((await factory(args).encode()) as unknown as { buffer: Buffer }).buffer);

// Strings of every UTF-8 width (astral characters too) and lengths on both sides of a varint's byte boundaries.
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'grapheme', minLength: 60, maxLength: 140 }),
);
const bytes = fc.oneof(
  text,
  fc.uint8Array({ maxLength: 200 }).map((array) => Buffer.from(array)),
);
const message = fc.record(
  {
    key: fc.option(bytes, { nil: undefined }),
    value: fc.option(bytes),
    headers: fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(bytes, fc.array(bytes, { maxLength: 3 })), {
      maxKeys: 3,
    }),
  },
  { requiredKeys: ['value'] },
);
const request = fc.record({
  acks: fc.constantFrom(-1, 0, 1),
  timeout: fc.nat(60_000),
  transactionalId: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }),
  producerId: fc.option(
    fc.oneof(
      fc.constant(-1),
      fc.integer({ min: 0, max: 2 ** 40 }),
      fc.bigInt({ min: 0n, max: 2n ** 62n }).map((n) => Long.fromValue(n)),
    ),
    { nil: undefined },
  ),
  producerEpoch: fc.option(fc.nat(32_767), { nil: undefined }),
  topicData: fc.array(
    fc.record({
      topic: fc.string({ minLength: 1, maxLength: 20 }),
      partitions: fc.array(
        fc.record(
          {
            partition: fc.nat(11),
            firstSequence: fc.nat(2 ** 31 - 1),
            messages: fc.array(message, { minLength: 1, maxLength: 60 }),
          },
          { requiredKeys: ['partition', 'messages'] },
        ),
        { minLength: 1, maxLength: 3 },
      ),
    }),
    { minLength: 1, maxLength: 2 },
  ),
}) as fc.Arbitrary<ProduceRequestArgs>;

describe(directProduceRequest.name, () => {
  beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(1_764_547_200_123));
  afterEach(() => jest.restoreAllMocks());

  it("encodes what kafkajs's produce request v3 encodes, byte for byte", async () => {
    await fc.assert(
      fc.asyncProperty(request, async (args) => {
        expect(fitsDirectEncoding(args)).toBe(true);
        expect(await encoded(direct, args)).toEqual(await encoded(kafkajsProduceRequest, args));
      }),
      { numRuns: 150 },
    );
  });

  it('writes a batch of 500 messages with long values and a trace header as kafkajs does', async () => {
    const messages = Array.from({ length: 500 }, (_, n) => ({
      key: `c_${n % 37}`,
      value: JSON.stringify({ n, text: 'é'.repeat(n % 300) }),
      headers: { traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` },
    }));
    const args: ProduceRequestArgs = {
      acks: -1,
      timeout: 30_000,
      topicData: [{ topic: 'customer-events.v1', partitions: [{ partition: 3, messages }] }],
    };
    expect(await encoded(direct, args)).toEqual(await encoded(kafkajsProduceRequest, args));
  });

  it('leaves to kafkajs what it does not write: compression, own timestamps, keys or headers of other types', () => {
    const withMessage = (msg: object, compression = 0): ProduceRequestArgs => ({
      acks: -1,
      timeout: 1000,
      compression,
      topicData: [{ topic: 't', partitions: [{ partition: 0, messages: [msg] }] }],
    });
    expect(fitsDirectEncoding(withMessage({ value: 'v' }))).toBe(true);
    for (const refused of [
      withMessage({ value: 'v' }, 1),
      withMessage({ value: 'v', timestamp: '1764547200000' }),
      withMessage({ value: 'v', timestamp: 1764547200000 }),
      withMessage({ key: 42, value: 'v' }),
      withMessage({ value: { not: 'bytes' } }),
      withMessage({ value: 'v', headers: { h: undefined } }),
      withMessage({ value: 'v', headers: { h: null } }),
      withMessage({ value: 'v', headers: { h: ['ok', 7] } }),
      withMessage({ value: 'v', headers: Object.create({ inherited: 'x' }) as object }),
    ])
      expect(fitsDirectEncoding(refused)).toBe(false);
  });

  it('hands what it does not write to kafkajs, whose bytes it then gives', async () => {
    const args = (messages: object[], compression = 0): ProduceRequestArgs => ({
      acks: -1,
      timeout: 1000,
      compression,
      topicData: [{ topic: 't', partitions: [{ partition: 0, messages: messages }] }],
    });
    for (const refused of [
      args([{ key: 'k', value: 'a value' }, { value: 'another' }], 1),
      args([
        { value: 'v', timestamp: 1764547100000 },
        { value: 'w', timestamp: 1764547000000 },
      ]),
    ]) {
      expect(fitsDirectEncoding(refused)).toBe(false);
      expect(await encoded(direct, refused)).toEqual(await encoded(kafkajsProduceRequest, refused));
    }
  });
});

describe(installDirectProduceEncoding.name, () => {
  const resolved = (version: string) => require.resolve(`${PRODUCE}/${version}/request`);

  beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(1_764_547_200_123));
  afterEach(() => jest.restoreAllMocks());

  it("replaces kafkajs's v3 request module's export while the later versions have not loaded it", async () => {
    const record = { exports: kafkajsProduceRequest as unknown };
    expect(installDirectProduceEncoding({ [resolved('v3')]: record })).toBe(true);
    expect(record.exports).not.toBe(kafkajsProduceRequest);
    const args: ProduceRequestArgs = {
      acks: -1,
      timeout: 1000,
      topicData: [{ topic: 't', partitions: [{ partition: 0, messages: [{ key: 'k', value: 'v' }] }] }],
    };
    expect(await encoded(record.exports as Factory, args)).toEqual(
      await encoded(kafkajsProduceRequest, args),
    );
  });

  it('changes nothing once v4 or v5 has loaded it, nor in another module', () => {
    for (const loaded of ['v4', 'v5']) {
      const record = { exports: kafkajsProduceRequest as unknown };
      expect(
        installDirectProduceEncoding({ [resolved('v3')]: record, [resolved(loaded)]: { exports: {} } }),
      ).toBe(false);
      expect(record.exports).toBe(kafkajsProduceRequest);
    }
    const other = { exports: {} as unknown };
    expect(installDirectProduceEncoding({ [resolved('v3')]: other })).toBe(false);
    expect(other.exports).toEqual({});
  });
});
