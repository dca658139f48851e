import { registerDecorator, type ValidationOptions } from 'class-validator';
import { isPlainObject, MAX_JSON_DEPTH, storableJsonProblem } from '@app/contracts';

export { MAX_JSON_DEPTH };

/**
 * Why a value cannot be stored as a JSON object payload, or undefined when it can: it must be a plain object
 * that every consumer can store as sent (see storableJsonProblem: depth, NUL, lone surrogates, number range).
 */
export function jsonObjectProblem(value: unknown): string | undefined {
  if (!isPlainObject(value)) return 'must be a JSON object';
  const problem = storableJsonProblem(value, '');
  return problem && `${problem.field.replace(/^\./, '')} ${problem.message}`.trim();
}

/**
 * Only the shape: a JSON object. What it holds is judged by storableJsonProblem, in the same walk that names
 * the exact field at fault (`payload.lines[2].sku`), which a property decorator cannot report.
 */
export function IsJsonObject(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isJsonObject',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a JSON object', ...options },
      validator: { validate: isPlainObject },
    });
}
