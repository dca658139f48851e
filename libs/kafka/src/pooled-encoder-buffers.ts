import { uVarIntSize, writeUVarIntAt, zigZag } from './varint';

const ENCODER_MODULE = 'kafkajs/src/protocol/encoder';
const INSTALLED = Symbol.for('supportdesk.pooledKafkaEncoderBuffers');

/** The part of kafkajs's (2.2.x) internal `Encoder` this file relies on. */
interface Encoder {
  buf: Buffer;
  offset: number;
  ensureAvailable(length: number): void;
  writeUVarInt(value: number): Encoder;
  writeVarLong(value: unknown): Encoder;
}
export interface EncoderClass {
  new (initialSize?: number): Encoder;
  prototype: Encoder;
  nextPowerOfTwo(this: void, value: number): number;
  sizeOfVarLong(value: unknown): number;
  [INSTALLED]?: true;
}

/** A varlong of this size is written as kafkajs writes an int32 varint: the same bytes, without a BigInt. */
const SMALL = 2 ** 30;

const isSmallInteger = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= -SMALL && value < SMALL;

/**
 * kafkajs encodes every produce request with a tree of `Encoder`s (the request, each topic, partition, record
 * batch, record and header), and each takes its buffer from `Buffer.alloc`: a zero-filled allocation of its
 * own (512 bytes to start with), never from Node's buffer pool, and another one each time it grows. Encoding a
 * one-message produce request measured 48 µs of CPU, a 500-message one 12 µs a message; with pooled buffers,
 * 22 and 8 µs (kafkajs's produce v3 request, encoded in a loop). The zero fill is not needed: an encoder writes
 * every byte before it moves its offset past it, and reads and copies only up to its offset.
 *
 * This gives the encoders `Buffer.allocUnsafe` (pooled under 4 KiB) instead, with the same sizes: growth on
 * the shared prototype (every encoder), construction by replacing the module's export for the kafkajs modules
 * that load it afterwards, which are those of the produce request (loaded when the first message is
 * produced). It also writes varints into the encoder's buffer, where kafkajs builds an array and a Buffer for
 * each (and BigInt-backed Longs for a varlong and its size, which a record's timestamp delta is): on the
 * prototype too, a varlong below ±2^30 as the int32 varint it equals byte for byte, a larger one as kafkajs
 * does. Encoded bytes are unchanged. Installed once per process, by the first lines of each app's
 * main.ts, like installFastAsyncResourceBind; false when kafkajs's encoder is not the one this was written for
 * (then nothing is changed).
 */
export function installPooledKafkaEncoderBuffers(): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- kafkajs's internal module, not exported
  const Original = require(ENCODER_MODULE) as EncoderClass;
  return poolEncoderBuffers(Original, require.cache[require.resolve(ENCODER_MODULE)]);
}

/** installPooledKafkaEncoderBuffers on the given class and the module record that exports it (when known). */
export function poolEncoderBuffers(Original: EncoderClass, record?: { exports: unknown }): boolean {
  if (Original[INSTALLED]) return true;
  if (!fitsThisPatch(Original)) return false;
  const { nextPowerOfTwo } = Original;
  const prototype = Original.prototype;
  prototype.ensureAvailable = function ensureAvailable(this: Encoder, length: number): void {
    if (this.offset + length <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(nextPowerOfTwo(this.offset + length));
    this.buf.copy(grown, 0, 0, this.offset);
    this.buf = grown;
  };
  // Varints straight into the buffer: kafkajs builds an array and a Buffer for each one (a record has four or
  // more), and a BigInt-backed Long for each varlong (a record's timestamp delta) and for its size.
  prototype.writeUVarInt = function writeUVarInt(this: Encoder, value: number): Encoder {
    this.ensureAvailable(uVarIntSize(value));
    this.offset = writeUVarIntAt(this.buf, this.offset, value);
    return this;
  };
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with the encoder as `this`
  const { writeVarLong } = prototype;
  prototype.writeVarLong = function writeSmallVarLong(this: Encoder, value: unknown): Encoder {
    return isSmallInteger(value) ? this.writeUVarInt(zigZag(value)) : writeVarLong.call(this, value);
  };
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with the class as `this`
  const { sizeOfVarLong } = Original;
  Original.sizeOfVarLong = function sizeOfSmallVarLong(this: EncoderClass, value: unknown): number {
    return isSmallInteger(value) ? uVarIntSize(zigZag(value)) : sizeOfVarLong.call(this, value);
  };
  function PooledEncoder(initialSize = 511): Encoder {
    const encoder = Object.create(Original.prototype) as Encoder;
    encoder.buf = Buffer.allocUnsafe(nextPowerOfTwo(initialSize));
    encoder.offset = 0;
    return encoder;
  }
  // The class's static helpers (sizeOfVarInt …) through the prototype chain; instances share its prototype.
  Object.setPrototypeOf(PooledEncoder, Original);
  PooledEncoder.prototype = Original.prototype;
  Original[INSTALLED] = true;
  (PooledEncoder as unknown as EncoderClass)[INSTALLED] = true;
  if (record) record.exports = PooledEncoder;
  return true;
}

/** An encoder made by the class has a zero offset and a power-of-two buffer, and grows by ensureAvailable. */
function fitsThisPatch(Encoder: EncoderClass): boolean {
  if (typeof Encoder !== 'function' || typeof Encoder.nextPowerOfTwo !== 'function') return false;
  const probe = new Encoder();
  return (
    Buffer.isBuffer(probe.buf) &&
    probe.offset === 0 &&
    probe.buf.length === Encoder.nextPowerOfTwo(511) &&
    typeof Encoder.prototype.ensureAvailable === 'function' &&
    typeof Encoder.prototype.writeUVarInt === 'function' &&
    typeof Encoder.prototype.writeVarLong === 'function' &&
    typeof Encoder.sizeOfVarLong === 'function'
  );
}
