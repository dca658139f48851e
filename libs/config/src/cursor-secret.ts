import { createHash } from 'node:crypto';
import { registerDecorator, type ValidationOptions } from 'class-validator';

const MIN_LENGTH = 32;
const MAX_LENGTH = 512;

/** What signs paging cursors; every replica of an app (and every app that reads another's cursors) shares it. */
export interface CursorSecretEnv {
  CURSOR_SECRET: string;
  NODE_ENV: string;
}

export function IsCursorSecret(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCursorSecret',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: `$property must be ${MIN_LENGTH} to ${MAX_LENGTH} characters (openssl rand -base64 32); it is required when NODE_ENV=production`,
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && value.length >= MIN_LENGTH && value.length <= MAX_LENGTH,
      },
    });
}

/**
 * The HMAC key of paging cursors. Validation already refuses a missing secret in production; elsewhere an unset
 * secret falls back to a key derived from a public phrase (`insecure: true`): anyone can forge cursors then.
 */
export function cursorSecret(config: CursorSecretEnv): { key: Buffer; insecure: boolean } {
  if (config.CURSOR_SECRET !== '') return { key: Buffer.from(config.CURSOR_SECRET, 'utf8'), insecure: false };
  if (config.NODE_ENV === 'production') throw new Error('CURSOR_SECRET is required');
  const key = createHash('sha256').update('supportdesk-events insecure development cursor key').digest();
  return { key, insecure: true };
}
