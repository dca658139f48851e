import Ajv, { type AnySchemaObject, type ErrorObject } from 'ajv';
import type { Static, TSchema } from '@sinclair/typebox';
import { ContractViolationError } from '../contract-violation.error';
import { childField, fieldOf } from './field-path';
import { addRuleKeywords, RULE_KEYWORDS } from './rules';

/**
 * The one ajv instance of the message contracts, with the project's rules registered on it (./rules.ts).
 * `verbose` keeps each error's schema, whose `x-error` says what the field must be.
 */
const ajv = addRuleKeywords(new Ajv({ verbose: true, allowUnionTypes: true, allErrors: false }));

/** The compiled check of one message schema: producers run it on what they write, consumers on what they read. */
export interface MessageValidator<S extends TSchema> {
  readonly schema: S;
  /** Throws a ContractViolationError naming the first field at fault. */
  check(value: unknown): asserts value is Static<S>;
}

/** `refine`: what a schema cannot say (one field compared with another), checked once the schema passed. */
export function compileMessageValidator<S extends TSchema>(
  schema: S,
  refine?: (value: Static<S>) => void,
): MessageValidator<S> {
  const validate = ajv.compile<Static<S>>(schema);
  return {
    schema,
    check(value: unknown): asserts value is Static<S> {
      if (!validate(value)) throw violationOf(validate.errors ?? []);
      refine?.(value);
    },
  };
}

const ownMessage = (schema: AnySchemaObject | undefined): string | undefined => {
  const text: unknown = schema?.[RULE_KEYWORDS.error];
  return typeof text === 'string' ? text : undefined;
};

const isWithin = (pointer: string, parent: string) => pointer === parent || pointer.startsWith(`${parent}/`);

/**
 * ajv's first error as the field it is about and what is wrong with it. A union that says what it must be (an
 * actor) speaks for the errors of its branches; a missing property is named with its own path; the project's
 * rules say their problem (a payload's, with the path inside it); otherwise the schema's `x-error`, else ajv's.
 */
function violationOf(errors: ErrorObject[]): ContractViolationError {
  const first = errors[0];
  if (first === undefined) return new ContractViolationError('value', 'does not match its contract');
  const union = errors
    .filter(
      (e) =>
        e.keyword === 'anyOf' && ownMessage(e.parentSchema) && isWithin(first.instancePath, e.instancePath),
    )
    .sort((a, b) => b.instancePath.length - a.instancePath.length)[0];
  if (union)
    return new ContractViolationError(
      fieldOf(union.instancePath) || 'value',
      ownMessage(union.parentSchema)!,
    );
  if (first.keyword === 'required') {
    const missing = (first.params as { missingProperty: string }).missingProperty;
    const property = (first.parentSchema?.properties as Record<string, AnySchemaObject> | undefined)?.[
      missing
    ];
    return new ContractViolationError(
      childField(fieldOf(first.instancePath), missing),
      ownMessage(property) ?? 'is required',
    );
  }
  const field = (first.params as { field?: unknown }).field;
  const isRule = Object.values(RULE_KEYWORDS).includes(first.keyword as never);
  return new ContractViolationError(
    typeof field === 'string' ? field : fieldOf(first.instancePath) || 'value',
    (isRule ? first.message : ownMessage(first.parentSchema)) ?? first.message ?? 'is invalid',
  );
}
