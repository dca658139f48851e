import {
  type ArgumentMetadata,
  ValidationPipe,
  type ValidationError as ClassValidatorError,
} from '@nestjs/common';
import { type ErrorDetail, ValidationError } from './domain-errors';
import { prototypeNamedFields, rawJsonAwareTransformer } from './validators/raw-json';

function flatten(errors: ClassValidatorError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      message: rule === 'whitelistValidation' ? `unknown field "${field}"` : message,
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Deeper than any valid request (a payload may nest 32 levels, inside a batch item); class-transformer recurses. */
export const MAX_REQUEST_DEPTH = 64;

/**
 * What makes a parsed request value unsafe to hand to class-transformer, if anything: a key named __proto__,
 * constructor or prototype (see StrictValidationPipe), or nesting deep enough to overflow its recursion.
 */
export function unsafeValueProblem(value: unknown): { field: string; message: string } | undefined {
  // Nearly every value is safe: walked once without building paths; a refused one again, to name the field.
  return isSafeValue(value, 0) ? undefined : firstUnsafeValueProblem(value);
}

/**
 * unsafeValueProblem's verdict without the field. Recursive: it stops at MAX_REQUEST_DEPTH, so it never
 * recurses deeper than that however deep the value nests.
 */
function isSafeValue(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return true;
  if (depth >= MAX_REQUEST_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!isSafeValue(value[i], depth + 1)) return false;
    return true;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (RESERVED_KEYS.has(key) || !isSafeValue((value as Record<string, unknown>)[key], depth + 1))
      return false;
  }
  return true;
}

/** The first problem with the field's path, in one iterative walk (only for a value isSafeValue refused). */
export function firstUnsafeValueProblem(value: unknown): { field: string; message: string } | undefined {
  // Iterative: the value may nest hundreds of thousands of levels deep.
  const stack: Array<[unknown, string, number]> = [[value, '', 0]];
  while (stack.length > 0) {
    const [node, path, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null || ArrayBuffer.isView(node)) continue;
    if (depth >= MAX_REQUEST_DEPTH)
      return { field: path || 'body', message: `nests deeper than ${MAX_REQUEST_DEPTH} levels` };
    const isArray = Array.isArray(node);
    for (const [key, child] of Object.entries(node)) {
      const childPath = isArray ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (!isArray && RESERVED_KEYS.has(key))
        return {
          field: childPath,
          message: 'is a reserved name: __proto__, constructor and prototype cannot be keys',
        };
      stack.push([child, childPath, depth + 1]);
    }
  }
  return undefined;
}

/**
 * Nest's pipe silently deletes keys named __proto__, constructor and prototype (prototype-pollution
 * protection), which would drop them from a client's event payload while the event is acknowledged; and
 * class-transformer overflows the stack on a deeply nested body (a 500). Both are refused here, before the
 * pipe's own work begins (through its public `transform`), with a 400 naming the field: nothing a client sent
 * is lost without it being told. Custom parameter decorators (the auth context) carry no client data.
 */
class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const problem = unsafeValueProblem(value);
      if (problem) throw ValidationError.field(problem.field, problem.message);
      const strays = prototypeNamedFields(value);
      if (strays.length > 0) throw unknownFields(strays);
    }
    return (await super.transform(value, metadata)) as unknown;
  }
}

/** The same refusal as the whitelist's, for the fields it cannot see (see prototypeNamedFields). */
export function unknownFields(fields: string[]): ValidationError {
  const details = fields.map((field) => ({ field, message: `unknown field "${field}"` }));
  return new ValidationError(details, details.map((d) => `${d.field}: ${d.message}`).join('; '));
}

/** class-validator with unknown fields refused (a misspelt field must not be silently ignored). */
export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformerPackage: rawJsonAwareTransformer,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      const summary = details.map((d) => `${d.field}: ${d.message}`).join('; ');
      return new ValidationError(details, summary || 'The request is invalid');
    },
  });
}

export { flatten as flattenValidationErrors };
