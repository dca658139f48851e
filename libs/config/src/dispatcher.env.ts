import {
  IsBoolean,
  IsInt,
  IsString,
  Max,
  Min,
  registerDecorator,
  ValidateIf,
  type ValidationOptions,
} from 'class-validator';
import { CommonEnv } from './common.env';
import { IsCursorSecret } from './cursor-secret';
import { ToBoolean, ToInt } from './env-decorators';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(\d{1,9})(ms|s|m|h|d)$/;
const MAX_RETRIES = 50;
const MAX_DELAY_MS = 7 * UNIT_MS.d;

/**
 * `10s,30s,5m,1h,1d` → delays in milliseconds, one per retry (so the schedule allows delays.length + 1
 * attempts). Throws with a readable reason for anything else: units ms/s/m/h/d, each delay 1 ms to 7 days,
 * at most 50 retries.
 */
export function parseRetrySchedule(value: string): number[] {
  const items = value.split(',').map((item) => item.trim());
  if (items.length > MAX_RETRIES) throw new Error(`has more than ${MAX_RETRIES} delays`);
  return items.map((item) => {
    const match = DURATION.exec(item);
    if (!match) throw new Error(`"${item}" is not a duration like 10s, 5m, 1h or 1d`);
    const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
    if (ms < 1 || ms > MAX_DELAY_MS) throw new Error(`"${item}" must be between 1ms and 7d`);
    return ms;
  });
}

function IsRetrySchedule(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isRetrySchedule',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && retryScheduleProblem(value) === undefined,
        defaultMessage: (args) =>
          `${args?.property} must be a comma-separated list of delays such as 10s,30s,5m,1h,1d: ${
            typeof args?.value === 'string' ? retryScheduleProblem(args.value) : 'not a string'
          }`,
      },
    });
}

function retryScheduleProblem(value: string): string | undefined {
  try {
    parseRetrySchedule(value);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Base64 of exactly 32 bytes: an AES-256 key. */
export function decodeEncryptionKey(value: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]{43}=$/.test(value)) return undefined;
  const key = Buffer.from(value, 'base64');
  return key.length === 32 ? key : undefined;
}

function IsAes256Key(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isAes256Key',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message:
          '$property must be the base64 of 32 random bytes (openssl rand -base64 32); it is required when NODE_ENV=production',
        ...options,
      },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && decodeEncryptionKey(value) !== undefined,
      },
    });
}

export class DispatcherEnv extends CommonEnv {
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(65535)
  DISPATCHER_PORT = 3002;

  @IsString()
  DISPATCHER_GROUP_ID = 'supportdesk-webhook-dispatcher';

  /** Delays between attempts; Plain's own schedule by default (13 attempts over about 5 days). */
  @IsRetrySchedule()
  WEBHOOK_RETRY_SCHEDULE = '10s,30s,5m,30m,1h,3h,6h,12h,1d,1d,1d,1d';

  @ToBoolean()
  @IsBoolean()
  WEBHOOK_ALLOW_PRIVATE_TARGETS = false;

  /**
   * Finished deliveries (succeeded or failed), their attempts, and the events no delivery needs any more are
   * deleted this many days after they finished: the delivery log shows this far back.
   */
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(3650)
  WEBHOOK_RETENTION_DAYS = 30;

  /** Whole-request budget of one attempt: connect, send, response headers and the body we read. */
  @ToInt()
  @IsInt()
  @Min(100)
  @Max(120000)
  WEBHOOK_TIMEOUT_MS = 15000;

  /**
   * Encrypts webhook signing secrets at rest (AES-256-GCM). Outside production an insecure, publicly known
   * development key is derived when it is unset; production refuses to start without it.
   */
  @ValidateIf(
    (env: DispatcherEnv) => env.NODE_ENV === 'production' || env.WEBHOOK_SECRET_ENCRYPTION_KEY !== '',
  )
  @IsAes256Key()
  WEBHOOK_SECRET_ENCRYPTION_KEY = '';

  /**
   * Signs the paging cursors (HMAC-SHA256); the same value on every replica. Outside production an insecure,
   * publicly known development key is used when it is unset; production refuses to start without it.
   */
  @ValidateIf((env: DispatcherEnv) => env.NODE_ENV === 'production' || env.CURSOR_SECRET !== '')
  @IsCursorSecret()
  CURSOR_SECRET = '';

  /** Attempts in flight at once in this process, all targets together. */
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(1000)
  WEBHOOK_MAX_CONCURRENCY = 50;

  /** Attempts in flight at once for one target, across every dispatcher replica. */
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(100)
  WEBHOOK_MAX_CONCURRENCY_PER_TARGET = 16;

  /** How often an idle worker looks for due deliveries (new ones wake it at once in the process that made them). */
  @ToInt()
  @IsInt()
  @Min(50)
  @Max(60000)
  WEBHOOK_POLL_INTERVAL_MS = 1000;

  @IsString()
  override NODE_ENV = 'development';
}
