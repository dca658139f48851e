import type { Type } from '@nestjs/common';
import type { TransformerPackage } from '@nestjs/common/interfaces/external/transformer-package.interface';
import { type ClassTransformOptions, instanceToPlain, plainToInstance } from 'class-transformer';

const RAW_JSON_KEYS = Symbol('rawJsonKeys');

/**
 * A free-form JSON property (an event's `payload`): kept exactly as received. class-transformer would rebuild
 * it, silently dropping keys named like Object.prototype members ("toString", "valueOf", …) and throwing on a
 * "constructor" key, so user data would be lost or the request would fail with a 500.
 */
export function RawJson(): PropertyDecorator {
  return (target, property) => {
    const keys = (Reflect.getMetadata(RAW_JSON_KEYS, target.constructor) as Array<string | symbol>) ?? [];
    Reflect.defineMetadata(RAW_JSON_KEYS, [...keys, property], target.constructor);
  };
}

/** plainToInstance, with the @RawJson properties set afterwards from the plain value, untouched. */
export function plainToDto<T>(cls: Type<T>, plain: unknown, options?: ClassTransformOptions): T {
  const keys = (Reflect.getMetadata(RAW_JSON_KEYS, cls) as Array<string | symbol> | undefined) ?? [];
  if (keys.length === 0 || typeof plain !== 'object' || plain === null || Array.isArray(plain))
    return plainToInstance(cls, plain, options);
  const rest: Record<string | symbol, unknown> = { ...plain };
  const raw = new Map<string | symbol, unknown>();
  for (const key of keys) {
    if (!Object.prototype.hasOwnProperty.call(plain, key)) continue;
    raw.set(key, rest[key]);
    delete rest[key];
  }
  const instance = plainToInstance(cls, rest, options) as Record<string | symbol, unknown>;
  for (const [key, value] of raw) instance[key] = value;
  return instance as T;
}

const PROTOTYPE_MEMBERS = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * The fields of a request object named like Object.prototype members ("valueOf", "hasOwnProperty", …). No DTO
 * declares one, so they are unknown fields; but class-transformer does not copy them onto the DTO and
 * class-validator's whitelist does not see them all, so without this check `{"type": …, "hasOwnProperty": 1}`
 * would pass with the field silently ignored.
 */
export function prototypeNamedFields(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.keys(value).filter((key) => PROTOTYPE_MEMBERS.has(key));
}

/** For ValidationPipe's `transformerPackage`: class-transformer, with @RawJson properties left alone. */
export const rawJsonAwareTransformer: TransformerPackage = {
  plainToInstance: plainToDto,
  classToPlain: (object, options) => instanceToPlain(object, options),
};
