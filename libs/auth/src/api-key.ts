import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ID_PATTERN } from '@app/contracts';

/**
 * An API key is `sdk_<machineUserId>_<secret>`: the id finds the row, the secret is checked against its
 * SHA-256 in constant time. The secret has 256 bits of entropy, so a fast hash is enough (no salt or KDF).
 */
const KEY_PATTERN = /^sdk_(mu_[0-9A-HJKMNP-TV-Z]{26})_([A-Za-z0-9_-]{43})$/;

export interface ParsedApiKey {
  machineUserId: string;
  secret: string;
}

export function generateApiKey(machineUserId: string): { apiKey: string; secretHash: Buffer } {
  if (!ID_PATTERN.test(machineUserId)) throw new Error('invalid machine user id');
  const secret = randomBytes(32).toString('base64url');
  return { apiKey: `sdk_${machineUserId}_${secret}`, secretHash: hashSecret(secret) };
}

export function parseApiKey(apiKey: string): ParsedApiKey | undefined {
  const match = KEY_PATTERN.exec(apiKey);
  return match ? { machineUserId: match[1], secret: match[2] } : undefined;
}

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

export function secretMatches(secret: string, storedHash: Buffer): boolean {
  const presented = hashSecret(secret);
  return presented.length === storedHash.length && timingSafeEqual(presented, storedHash);
}
