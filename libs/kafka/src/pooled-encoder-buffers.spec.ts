/* eslint-disable @typescript-eslint/no-require-imports -- kafkajs's internal modules, which the patch changes */
import {
  type EncoderClass,
  installPooledKafkaEncoderBuffers,
  poolEncoderBuffers,
} from './pooled-encoder-buffers';

const Encoder = require('kafkajs/src/protocol/encoder') as EncoderClass & {
  sizeOfVarInt(value: number): number;
};
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
    timestamp: 1_764_460_800_000 + i,
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
