import { createHmac } from 'node:crypto';
import { SIGNING_SECRET_PREFIX } from '../secrets';

export interface SigningInput {
  body: string;
  /** The event id: Standard Webhooks' `webhook-id`, the same on every attempt. */
  eventId: string;
  /** The attempt's time, in Unix seconds for `webhook-timestamp`. */
  timestampSeconds: number;
  /**
   * The current secret first, then every secret rotated out less than the grace period ago, most recently
   * rotated out first.
   */
  secrets: readonly string[];
}

/** Plain's signature: hex HMAC-SHA256 of the raw body, keyed by the secret string itself. */
export function plainSignature(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('hex');
}

/** Standard Webhooks: `v1,` + base64 HMAC-SHA256 of `id.timestamp.body`, keyed by the base64-decoded secret. */
export function standardSignature(eventId: string, timestampSeconds: number, body: string, secret: string) {
  const key = Buffer.from(secret.slice(SIGNING_SECRET_PREFIX.length), 'base64');
  const mac = createHmac('sha256', key).update(`${eventId}.${timestampSeconds}.${body}`, 'utf8');
  return `v1,${mac.digest('base64')}`;
}

/**
 * The signature headers of one attempt. `webhook-signature` lists one signature per valid secret, current first
 * (receivers accept any match); Plain's header holds one value, so it is signed with the current secret and,
 * while any rotated-out secret is valid, `Plain-Request-Signature-Previous` carries the signature of the most
 * recently rotated-out one (older ones sign only in `webhook-signature`).
 */
export function signatureHeaders(input: SigningInput): Record<string, string> {
  const [current, previous] = input.secrets;
  if (!current) throw new Error('A webhook needs at least one signing secret');
  const headers: Record<string, string> = {
    'Plain-Request-Signature': plainSignature(input.body, current),
    'webhook-id': input.eventId,
    'webhook-timestamp': String(input.timestampSeconds),
    'webhook-signature': input.secrets
      .map((secret) => standardSignature(input.eventId, input.timestampSeconds, input.body, secret))
      .join(' '),
  };
  if (previous) headers['Plain-Request-Signature-Previous'] = plainSignature(input.body, previous);
  return headers;
}
