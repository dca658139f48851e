import { storableTextProblem } from '@app/contracts';
import { isEmail, type ValidationOptions } from 'class-validator';
import { problemDecorator } from './problem-decorator';

/**
 * A string every consumer can store as sent: no NUL character, no lone UTF-16 surrogate. Non-strings pass, for
 * `@IsString` to refuse with its own message.
 */
export function IsStorableText(options?: ValidationOptions): PropertyDecorator {
  return problemDecorator(
    'isStorableText',
    (value) => (typeof value === 'string' ? storableTextProblem(value) : undefined),
    options,
  );
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
  return problemDecorator('isEmail', problem, options);
}
