// LEB128, as kafkajs writes its varints: seven bits a byte, the high bit set on every byte but the last.
const MORE = 0x80;
const LOW_BITS = 0x7f;
const ABOVE_LOW_BITS = 0xffffff80;

/** ZigZag, as kafkajs's encodeZigZag (int32); for a small integer also its encodeZigZag64. */
export const zigZag = (value: number): number => (value << 1) ^ (value >> 31);

/** The bytes of an unsigned varint (a zigzagged value's, for a signed one). */
export function uVarIntSize(value: number): number {
  let bytes = 1;
  for (let rest = value; (rest & ABOVE_LOW_BITS) !== 0; rest >>>= 7) bytes++;
  return bytes;
}

/** Writes an unsigned varint at `offset` (the buffer has room for it); returns the offset after it. */
export function writeUVarIntAt(buf: Buffer, offset: number, value: number): number {
  let at = offset;
  let rest = value;
  while ((rest & ABOVE_LOW_BITS) !== 0) {
    buf[at++] = (rest & LOW_BITS) | MORE;
    rest >>>= 7;
  }
  buf[at++] = rest & LOW_BITS;
  return at;
}
