import { registerDecorator, type ValidationOptions } from 'class-validator';

export const MAX_JSON_DEPTH = 32;

/**
 * Why a value cannot be stored as a JSON object payload, or undefined when it can: it must be a plain object,
 * nest at most MAX_JSON_DEPTH levels, and hold no NUL character (PostgreSQL jsonb refuses \u0000).
 */
export function jsonObjectProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be a JSON object';
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > MAX_JSON_DEPTH) return `must not nest deeper than ${MAX_JSON_DEPTH} levels`;
    const entries = Array.isArray(node) ? node.map((v) => ['', v] as const) : Object.entries(node as object);
    for (const [key, child] of entries) {
      if (key.includes('\u0000')) return 'must not contain NUL characters';
      if (typeof child === 'string' && child.includes('\u0000')) return 'must not contain NUL characters';
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return undefined;
}

export function IsJsonObject(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isJsonObject',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => jsonObjectProblem(value) === undefined,
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} ${jsonObjectProblem(args?.value) ?? 'is invalid'}`,
      },
    });
}
