import { type ModuleCache, replaceKafkajsFunction } from './kafkajs-module-export';

/** kafkajs's (2.2.x) CRC-32C of a record batch, and the module that loads it when the first produce request does. */
const CRC_MODULE = 'kafkajs/src/protocol/recordBatch/crc32C';
const RECORD_BATCH_MODULE = 'kafkajs/src/protocol/recordBatch/v0';

/** CRC-32C (Castagnoli), reflected: the polynomial 0x1EDC6F41 bit-reversed. */
const POLYNOMIAL = 0x82f63b78;

/** Eight tables of 256: table k gives a byte's contribution k bytes before the end of an 8-byte block. */
const TABLES = (() => {
  const tables = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let crc = n;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ POLYNOMIAL : crc >>> 1;
    tables[n] = crc;
  }
  for (let n = 0; n < 256; n++)
    for (let k = 1; k < 8; k++) {
      const previous = tables[(k - 1) * 256 + n];
      tables[k * 256 + n] = (previous >>> 8) ^ tables[previous & 0xff];
    }
  return tables;
})();

/**
 * CRC-32C of the bytes, unsigned: the checksum of a Kafka record batch. Eight bytes a step (slicing-by-8), where
 * kafkajs's JavaScript takes one byte a step and then copies the result through a `Uint32Array` to make it
 * unsigned; the same value.
 */
export function crc32c(bytes: Uint8Array): number {
  let crc = -1;
  let i = 0;
  const end8 = bytes.length - (bytes.length % 8);
  for (; i < end8; i += 8) {
    const low = crc ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
    crc =
      TABLES[7 * 256 + (low & 0xff)] ^
      TABLES[6 * 256 + ((low >>> 8) & 0xff)] ^
      TABLES[5 * 256 + ((low >>> 16) & 0xff)] ^
      TABLES[4 * 256 + (low >>> 24)] ^
      TABLES[3 * 256 + bytes[i + 4]] ^
      TABLES[2 * 256 + bytes[i + 5]] ^
      TABLES[256 + bytes[i + 6]] ^
      TABLES[bytes[i + 7]];
  }
  for (; i < bytes.length; i++) crc = TABLES[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return ~crc >>> 0;
}

/**
 * Gives kafkajs's record batches crc32c above, by replacing the export of kafkajs's checksum module before its
 * record batch encoder loads it (with the first produce request; ./install-before-kafkajs runs this first
 * thing). False, with nothing changed, when that encoder is loaded already or the module is not the one this
 * was written for.
 */
export function installCrc32c(cache: ModuleCache = require.cache): boolean {
  return replaceKafkajsFunction(CRC_MODULE, RECORD_BATCH_MODULE, crc32c, cache);
}
