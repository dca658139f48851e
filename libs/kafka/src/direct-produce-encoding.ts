import { crc32c } from './crc32c';
import { type ModuleCache, wrapKafkajsFunction } from './kafkajs-module-export';
import { uVarIntSize, writeUVarIntAt, zigZag } from './varint';

/** kafkajs's (2.2.x) produce request v3, which v4 to v7 (what a broker of Kafka 2.1 or later is sent) wrap. */
const PRODUCE_V3_MODULE = 'kafkajs/src/protocol/requests/produce/v3/request';
/** The kafkajs modules that load the v3 request (each keeps the function it loaded with). */
const LOADED_BY = [
  'kafkajs/src/protocol/requests/produce/v4/request',
  'kafkajs/src/protocol/requests/produce/v5/request',
];
const ENCODER_MODULE = 'kafkajs/src/protocol/encoder';
const LONG_MODULE = 'kafkajs/src/utils/long';

/** The part of kafkajs's internal `Encoder` a request's `encode` returns. */
interface Encoder {
  buf: Buffer;
  offset: number;
}
interface EncoderClass {
  prototype: Encoder;
}

type Bytes = string | Buffer;
type HeaderValue = Bytes | Bytes[];
interface ProduceMessage {
  key?: Bytes | null;
  value?: Bytes | null;
  headers?: Record<string, HeaderValue>;
  timestamp?: unknown;
}
interface PartitionData {
  partition: number;
  messages: ProduceMessage[];
  firstSequence?: number;
}
/** kafkajs's `Long` (utils/long), for the producer id. */
interface Long {
  getHighBits(): number;
  getLowBits(): number;
}
interface LongClass {
  fromValue(value: unknown): Long;
}
export interface ProduceRequestArgs {
  acks: number;
  timeout: number;
  transactionalId?: string | null;
  producerId?: unknown;
  producerEpoch?: number;
  compression?: number;
  topicData: Array<{ topic: string; partitions: PartitionData[] }>;
}
interface ProduceRequest {
  encode(): Promise<Encoder>;
}
type ProduceRequestFactory = (args: ProduceRequestArgs) => ProduceRequest;

const NO_COMPRESSION = 0;
const MAGIC_BYTE = 2;
const TRANSACTIONAL = 16;
/** A record's varint for "no bytes" (-1 zigzagged). */
const NULL_LENGTH = 1;

/**
 * kafkajs encodes a produce request as a tree of `Encoder`s: for every message an object spread, a `Record`
 * encoder, an array of its headers and an encoder for each header, each encoder's bytes then copied into its
 * parent's (record into batch, batch into its length-prefixed form, into the partition's, the topic's and the
 * request's), and each string's UTF-8 length counted twice. Under `ingest-batch` this was about a fifth of the
 * gateway's busy samples (9.0 µs of CPU a message for a 500-message request encoded in a loop; 2.2 µs here).
 *
 * This writes the same request in one buffer: the lengths of every record counted first, then each field
 * written once where it belongs, the record batch's CRC-32C taken over its bytes in place. The bytes are those
 * kafkajs writes (a unit spec compares them for generated requests). It takes the common case only, an
 * uncompressed request whose messages carry string or Buffer keys, values and headers and no timestamp of their
 * own; any other request is encoded by kafkajs as it ships.
 */
export function encodeProduceRequest(
  args: ProduceRequestArgs,
  { Encoder, Long }: { Encoder: EncoderClass; Long: LongClass },
): Encoder {
  const { topicData } = args;
  const producerId = Long.fromValue(args.producerId ?? -1);
  const transactionalId = args.transactionalId ?? null;
  const transactionalIdBytes = transactionalId === null ? 0 : Buffer.byteLength(transactionalId);
  // Pass one: every record's body size, and the size of the whole request.
  const bodySizes: number[] = [];
  let size = 2 + transactionalIdBytes + 2 + 4 + 4;
  for (const { topic, partitions } of topicData) {
    size += 2 + Buffer.byteLength(topic) + 4;
    for (const { messages } of partitions) {
      size += 4 + 4 + RECORD_BATCH_OVERHEAD;
      for (let i = 0; i < messages.length; i++) {
        const body = recordBodySize(messages[i], i);
        bodySizes.push(body);
        size += uVarIntSize(zigZag(body)) + body;
      }
    }
  }
  // Pass two: the bytes.
  const buf = Buffer.allocUnsafe(size);
  let offset = 0;
  const writeString = (value: string | null, bytes: number) => {
    offset = buf.writeInt16BE(value === null ? -1 : bytes, offset);
    if (value !== null) offset += buf.write(value, offset, bytes, 'utf8');
  };
  const writeVarInt = (value: number) => (offset = writeUVarIntAt(buf, offset, zigZag(value)));
  const writeVarIntBytes = (value: Bytes | null | undefined) => {
    if (value == null) return void (buf[offset++] = NULL_LENGTH);
    if (typeof value === 'string') {
      const bytes = Buffer.byteLength(value);
      writeVarInt(bytes);
      offset += buf.write(value, offset, bytes, 'utf8');
    } else {
      writeVarInt(value.length);
      offset += value.copy(buf, offset);
    }
  };
  const writeLong = (value: Long) => {
    offset = buf.writeInt32BE(value.getHighBits(), offset);
    offset = buf.writeInt32BE(value.getLowBits(), offset);
  };
  const writeTimestamp = (ms: number) => {
    offset = buf.writeInt32BE(Math.floor(ms / 2 ** 32), offset);
    offset = buf.writeUInt32BE(ms % 2 ** 32, offset);
  };

  writeString(transactionalId, transactionalIdBytes);
  offset = buf.writeInt16BE(args.acks, offset);
  offset = buf.writeInt32BE(args.timeout, offset);
  offset = buf.writeInt32BE(topicData.length, offset);
  let record = 0;
  for (const { topic, partitions } of topicData) {
    writeString(topic, Buffer.byteLength(topic));
    offset = buf.writeInt32BE(partitions.length, offset);
    for (const { partition, messages, firstSequence = 0 } of partitions) {
      offset = buf.writeInt32BE(partition, offset);
      const sizeAt = offset;
      offset += 4; // the record batch's size, once written
      const batchStart = offset;
      offset = buf.writeInt32BE(0, offset); // firstOffset: 0 (int64)
      offset = buf.writeInt32BE(0, offset);
      const lengthAt = offset;
      offset += 4; // the batch's length
      const lengthFrom = offset;
      offset = buf.writeInt32BE(0, offset); // partitionLeaderEpoch
      offset = buf.writeInt8(MAGIC_BYTE, offset);
      const crcAt = offset;
      offset += 4;
      const crcFrom = offset;
      const now = Date.now();
      offset = buf.writeInt16BE(transactionalId ? TRANSACTIONAL : 0, offset); // attributes (kafkajs: !!transactionalId)
      offset = buf.writeInt32BE(messages.length - 1, offset); // lastOffsetDelta
      writeTimestamp(now); // firstTimestamp
      writeTimestamp(now); // maxTimestamp
      writeLong(producerId);
      offset = buf.writeInt16BE(args.producerEpoch ?? 0, offset);
      offset = buf.writeInt32BE(firstSequence, offset);
      offset = buf.writeInt32BE(messages.length, offset);
      for (let i = 0; i < messages.length; i++) {
        const { key, value, headers } = messages[i];
        writeVarInt(bodySizes[record++]);
        buf[offset++] = 0; // attributes
        buf[offset++] = 0; // timestampDelta: every record at the batch's timestamp
        writeVarInt(i); // offsetDelta
        writeVarIntBytes(key);
        writeVarIntBytes(value);
        writeVarInt(headerCount(headers));
        if (headers)
          for (const name in headers) {
            const header = headers[name];
            if (!Array.isArray(header)) {
              writeVarIntBytes(name);
              writeVarIntBytes(header);
            } else
              for (const one of header) {
                writeVarIntBytes(name);
                writeVarIntBytes(one);
              }
          }
      }
      buf.writeUInt32BE(crc32c(buf.subarray(crcFrom, offset)), crcAt);
      buf.writeInt32BE(offset - lengthFrom, lengthAt);
      buf.writeInt32BE(offset - batchStart, sizeAt);
    }
  }
  if (offset !== size) throw new Error(`produce request encoded in ${offset} bytes, ${size} expected`);
  const encoder = Object.create(Encoder.prototype) as Encoder;
  encoder.buf = buf;
  encoder.offset = size;
  return encoder;
}

/** firstOffset, length, partitionLeaderEpoch, magic, CRC, attributes … firstSequence, and the record count. */
const RECORD_BATCH_OVERHEAD = 8 + 4 + 4 + 1 + 4 + 2 + 4 + 8 + 8 + 8 + 2 + 4 + 4;

function recordBodySize({ key, value, headers }: ProduceMessage, offsetDelta: number): number {
  let size = 1 + 1 + uVarIntSize(zigZag(offsetDelta)) + varIntBytesSize(key) + varIntBytesSize(value);
  size += uVarIntSize(zigZag(headerCount(headers)));
  if (headers)
    for (const name in headers) {
      const header = headers[name];
      const nameSize = varIntBytesSize(name);
      if (Array.isArray(header)) for (const one of header) size += nameSize + varIntBytesSize(one);
      else size += nameSize + varIntBytesSize(header);
    }
  return size;
}

function headerCount(headers: ProduceMessage['headers']): number {
  let count = 0;
  if (headers)
    for (const name in headers) {
      const header = headers[name];
      count += Array.isArray(header) ? header.length : 1;
    }
  return count;
}

function varIntBytesSize(value: Bytes | null | undefined): number {
  if (value == null) return 1;
  const bytes = typeof value === 'string' ? Buffer.byteLength(value) : value.length;
  return uVarIntSize(zigZag(bytes)) + bytes;
}

const isBytes = (value: unknown): value is Bytes => typeof value === 'string' || Buffer.isBuffer(value);

/** Whether `encodeProduceRequest` writes this request (otherwise kafkajs does). */
export function fitsDirectEncoding(args: ProduceRequestArgs): boolean {
  if ((args.compression ?? NO_COMPRESSION) !== NO_COMPRESSION) return false;
  for (const { partitions } of args.topicData)
    for (const { messages } of partitions)
      for (const message of messages) {
        const { key, value, headers, timestamp } = message;
        if (timestamp != null || !(key == null || isBytes(key)) || !(value == null || isBytes(value)))
          return false;
        if (headers === undefined) continue;
        if (headers === null || typeof headers !== 'object') return false;
        for (const name in headers) {
          const header = headers[name];
          if (
            !Object.hasOwn(headers, name) ||
            !(isBytes(header) || (Array.isArray(header) && header.every(isBytes)))
          )
            return false;
        }
      }
  return true;
}

let classes: { Encoder: EncoderClass; Long: LongClass } | undefined;

/** kafkajs's Encoder and Long, loaded with the first request (after the pooled encoder replaced the export). */
function kafkajsClasses(): { Encoder: EncoderClass; Long: LongClass } {
  /* eslint-disable @typescript-eslint/no-require-imports -- kafkajs's internal modules, not exported */
  return (classes ??= {
    Encoder: require(ENCODER_MODULE) as EncoderClass,
    Long: require(LONG_MODULE) as LongClass,
  });
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** kafkajs's produce request v3, with `encode` written by encodeProduceRequest when the request fits it. */
export function directProduceRequest(original: ProduceRequestFactory): ProduceRequestFactory {
  return function produceRequest(args: ProduceRequestArgs): ProduceRequest {
    const request = original(args);
    if (!fitsDirectEncoding(args)) return request;
    const classes = kafkajsClasses();
    request.encode = () => Promise.resolve(encodeProduceRequest(args, classes));
    return request;
  };
}

/**
 * Makes kafkajs encode produce requests with directProduceRequest, by replacing the export of its v3 request
 * module before the modules of the later versions load it (with the first produce request). False, with nothing
 * changed, when it is too late or the module is not the one this was written for.
 */
export function installDirectProduceEncoding(cache: ModuleCache = require.cache): boolean {
  if (LOADED_BY.slice(1).some((module) => cache[require.resolve(module)])) return false;
  return wrapKafkajsFunction(PRODUCE_V3_MODULE, LOADED_BY[0], directProduceRequest, cache);
}
