/* eslint-disable @typescript-eslint/no-require-imports -- kafkajs's internal modules, which the patch changes */
import {
  type EncoderClass,
  installPooledKafkaEncoderBuffers,
  poolEncoderBuffers,
} from './pooled-encoder-buffers';

const Encoder = require('kafkajs/src/protocol/encoder') as EncoderClass & {
  sizeOfVarInt(value: number): number;
};
type Writing = InstanceType<typeof Encoder> & {
  writeVarInt(value: number): Writing;
  writeUVarInt(value: number): Writing;
  writeVarLong(value: unknown): Writing;
  buffer: Buffer;
};

// Around every byte-count boundary, the ±2^30 line between the two ways of writing a varlong, and beyond.
const VAR_INTS = [
  0,
  1,
  -1,
  63,
  64,
  -64,
  -65,
  127,
  128,
  8191,
  8192,
  2 ** 20,
  2 ** 27,
  2 ** 30 - 1,
  -(2 ** 30),
];
const VAR_LONGS = [
  ...VAR_INTS,
  2 ** 30,
  -(2 ** 30) - 1,
  2 ** 31,
  -(2 ** 31),
  2 ** 40,
  -(2 ** 52),
  2 ** 53 - 1,
];
const U_VAR_INTS = [0, 1, 127, 128, 16_383, 16_384, 2 ** 21, 2 ** 28, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, -1];

/** Varints and varlongs written one after the other, with the sizes kafkajs computes for them. */
function encodedVarints(): { bytes: Buffer; sizes: number[] } {
  const encoder = new Encoder() as Writing;
  for (const value of VAR_INTS) encoder.writeVarInt(value);
  for (const value of U_VAR_INTS) encoder.writeUVarInt(value);
  for (const value of VAR_LONGS) encoder.writeVarLong(value);
  return {
    bytes: Buffer.from(encoder.buffer),
    sizes: VAR_LONGS.map((value) => Encoder.sizeOfVarLong(value)),
  };
}
const produceRequest = require('kafkajs/src/protocol/requests/produce/v3/request') as (request: {
  acks: number;
  timeout: number;
  topicData: unknown[];
}) => { encode(): Promise<{ buffer: Buffer }> };

/** A produce request as the publisher sends it: keys, values of several sizes, a traceparent header. */
async function encodedProduceRequest(): Promise<Buffer> {
  const messages = [10, 400, 600, 5000, 70_000].map((size, i) => ({
    key: `c_${i}`,
    value: JSON.stringify({ id: `cev_${i}`, payload: 'é'.repeat(size) }),
    headers: { traceparent: `00-0af7651916cd43dd8448eb211c80319c-b7ad6b716920333${i}-01` },
    // Timestamp deltas from the first message: small, and beyond ±2^30 ms (a varlong kafkajs writes itself).
    timestamp: String(1_764_460_800_000 + [0, 1, 4_000, -(2 ** 31), 2 ** 33][i]),
  }));
  const request = produceRequest({
    acks: -1,
    timeout: 5000,
    topicData: [{ topic: 'customer-events.v1', partitions: [{ partition: 3, firstSequence: 0, messages }] }],
  });
  return Buffer.from((await request.encode()).buffer);
}

/** Whether a buffer is a slice of Node's shared pool rather than an allocation of its own. */
const pooled = (buffer: Buffer) =>
  buffer.buffer.byteLength === Buffer.poolSize && buffer.length < Buffer.poolSize;

describe('installPooledKafkaEncoderBuffers', () => {
  it('gives the encoders pooled buffers and leaves every encoded byte as it was', async () => {
    const before = await encodedProduceRequest();
    const varintsBefore = encodedVarints();
    const unpatched = new Encoder();
    unpatched.ensureAvailable(1000);
    expect(pooled(unpatched.buf)).toBe(false);

    const record = { exports: Encoder as unknown };
    expect(poolEncoderBuffers(Encoder, record)).toBe(true);

    // Growth, on the prototype: every encoder, whichever class reference made it.
    const grown = new Encoder();
    grown.ensureAvailable(1000);
    expect(grown.buf.length).toBe(1024);
    expect(pooled(grown.buf)).toBe(true);
    // Construction, through the module's export.
    const Pooled = record.exports as typeof Encoder;
    const made = new Pooled();
    expect(made.buf.length).toBe(512);
    expect(pooled(made.buf)).toBe(true);
    expect(made).toBeInstanceOf(Encoder);
    expect(Pooled.sizeOfVarInt(300)).toBe(2);

    expect(await encodedProduceRequest()).toEqual(before);
    expect(encodedVarints()).toEqual(varintsBefore);
  });

  it('installs once per process, and says so again when asked twice', () => {
    expect(installPooledKafkaEncoderBuffers()).toBe(true);
    expect(installPooledKafkaEncoderBuffers()).toBe(true);
  });

  it('changes nothing in an encoder class it was not written for', () => {
    class Other {
      buf = Buffer.alloc(100);
      offset = 0;
      static nextPowerOfTwo = (value: number) => value;
      ensureAvailable(): void {}
    }
    const ensureAvailable = Other.prototype.ensureAvailable;
    const record = { exports: Other as unknown };
    expect(poolEncoderBuffers(Other as unknown as EncoderClass, record)).toBe(false);
    expect(record.exports).toBe(Other);
    expect(Other.prototype.ensureAvailable).toBe(ensureAvailable);
  });
});
