import { randomFillSync } from 'node:crypto';

/**
 * Cryptographic randomness drawn from the OS 4 KiB at a time and handed out byte by byte. Asking the OS for a
 * few bytes per id (a ULID, a trace id) was a top frame of the gateway's profile under load; the bytes are
 * the same quality, only fetched in bulk. One pool per process; Node runs JavaScript on one thread.
 */
const pool = Buffer.alloc(4096);
let offset = pool.length;

/** The next random byte, 0–255. */
export function randomByte(): number {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  return pool[offset++];
}

/** `bytes` random bytes as lowercase hex. */
export function randomHex(bytes: number): string {
  if (offset + bytes > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}
