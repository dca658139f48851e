import { storableTextProblem } from '@app/contracts';
import { isEmail, registerDecorator, type ValidationOptions } from 'class-validator';

/**
 * A string every consumer can store as sent: no NUL character, no lone UTF-16 surrogate. Non-strings pass, for
 * `@IsString` to refuse with its own message.
 */
export function IsStorableText(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isStorableText',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || storableTextProblem(value) === undefined,
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} ${storableTextProblem(String(args?.value)) ?? 'is invalid'}`,
      },
    });
}

/**
 * `@IsEmail`, safe on any string: class-validator's isEmail throws a URIError on a lone surrogate (a 500); such
 * a string is refused here as not storable before isEmail ever sees it.
 */
export function IsEmailAddress(options?: ValidationOptions): PropertyDecorator {
  const problem = (value: unknown): string | undefined => {
    if (typeof value !== 'string') return 'must be an email';
    return storableTextProblem(value) ?? (isEmail(value) ? undefined : 'must be an email');
  };
  return (target, propertyName) =>
    registerDecorator({
      name: 'isEmail',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => problem(value) === undefined,
        defaultMessage: (args) => `${args?.property ?? 'value'} ${problem(args?.value) ?? 'is invalid'}`,
      },
    });
}
