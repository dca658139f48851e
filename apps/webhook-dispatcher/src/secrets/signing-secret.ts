import { randomBytes } from 'node:crypto';

export const SIGNING_SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;

/**
 * `whsec_<base64 of 32 random bytes>`: the Standard Webhooks format (its libraries base64-decode what follows
 * the prefix into the HMAC key), while Plain's signature uses the whole string as the key.
 */
export function generateSigningSecret(): string {
  return `${SIGNING_SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;
}
