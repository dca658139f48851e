import { ValidateIf, type ValidationOptions } from 'class-validator';

/**
 * The field may be left out, but not sent as null: its other rules are skipped only when it is absent.
 * `@IsOptional` skips them for null too, so `"enabled": null` would register an enabled target and an import
 * whose `occurredAt` is null would silently become "now". Use `@IsOptional` only where null is a value.
 */
export function IsOmittable(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined, options);
}
