import { accessSync, constants } from 'node:fs';
import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';

/** An empty value passes (unset); anything else must name a file this process can read. */
export function IsReadableFileOrEmpty(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isReadableFileOrEmpty',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `${String(propertyName)} must name a readable file`, ...options },
      validator: {
        validate(value: unknown) {
          if (value === '' || value === undefined) return true;
          if (typeof value !== 'string') return false;
          try {
            accessSync(value, constants.R_OK);
            return true;
          } catch {
            return false;
          }
        },
      },
    });
}

/**
 * A check that involves other variables of the same schema: `holds(config)` is evaluated once the whole object
 * is built; the message names the variables an operator has to fix.
 */
export function Holds<T>(holds: (config: T) => boolean, message: string): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'holds',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message },
      validator: { validate: (_value: unknown, args: ValidationArguments) => holds(args.object as T) },
    });
}
