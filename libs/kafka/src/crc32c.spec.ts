/* eslint-disable @typescript-eslint/no-require-imports -- kafkajs's internal modules, which the patch replaces */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { crc32c, installCrc32c } from './crc32c';

const kafkajsCrc32c = require('kafkajs/src/protocol/recordBatch/crc32C') as (bytes: Buffer) => number;

describe(crc32c.name, () => {
  it('gives the standard check value: CRC-32C of "123456789" is 0xE3069283', () =>
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283));

  it("gives kafkajs's checksum for any bytes, of every length around the 8-byte step, and offset views", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70 }), fc.nat(3), (array, offset) => {
        const bytes = Buffer.from(array).subarray(Math.min(offset, array.length));
        expect(crc32c(bytes)).toBe(kafkajsCrc32c(bytes));
      }),
      { numRuns: 2000 },
    );
    const large = randomBytes(300_001);
    expect(crc32c(large)).toBe(kafkajsCrc32c(large));
  });
});

describe(installCrc32c.name, () => {
  const resolved = (name: string) => require.resolve(`kafkajs/src/protocol/recordBatch/${name}`);

  it("replaces kafkajs's checksum module's export while its record batch encoder has not loaded it yet", () => {
    const record = { exports: kafkajsCrc32c as unknown };
    expect(installCrc32c({ [resolved('crc32C')]: record })).toBe(true);
    expect(record.exports).toBe(crc32c);
  });

  it('changes nothing once the record batch encoder is loaded, nor in another module', () => {
    const record = { exports: kafkajsCrc32c as unknown };
    expect(installCrc32c({ [resolved('crc32C')]: record, [resolved('v0')]: { exports: {} } })).toBe(false);
    expect(record.exports).toBe(kafkajsCrc32c);
    const other = { exports: {} as unknown };
    expect(installCrc32c({ [resolved('crc32C')]: other })).toBe(false);
    expect(other.exports).toEqual({});
  });
});
