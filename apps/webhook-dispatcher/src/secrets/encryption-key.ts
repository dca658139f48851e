import { createHash } from 'node:crypto';
import { decodeEncryptionKey, type DispatcherEnv } from '@app/config';

/**
 * The key that seals webhook secrets. Config validation already refuses a missing key in production; in
 * development and tests, an unset key falls back to a fixed key derived from a public phrase: convenient for
 * the local stack, worthless as protection (`insecure: true`, and the app warns at boot).
 */
export function webhookEncryptionKey(config: DispatcherEnv): { key: Buffer; insecure: boolean } {
  const configured = decodeEncryptionKey(config.WEBHOOK_SECRET_ENCRYPTION_KEY);
  if (configured) return { key: configured, insecure: false };
  if (config.NODE_ENV === 'production') throw new Error('WEBHOOK_SECRET_ENCRYPTION_KEY is required');
  const key = createHash('sha256').update('supportdesk-events insecure development webhook key').digest();
  return { key, insecure: true };
}
