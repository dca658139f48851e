import type Ajv from 'ajv';
import type { FuncKeywordDefinition, SchemaValidateFunction } from 'ajv';
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { type JsonObject } from '../json-object';
import { titleProblem } from '../plain-text';
import {
  MAX_JSON_DEPTH,
  storableInstantProblem,
  storableJsonProblem,
  storableTextProblem,
} from '../storable-json';
import { fieldOf } from './field-path';

/**
 * The project's own rules, which plain JSON Schema cannot say, as named keywords of the message schemas. Each
 * keyword runs the same function the gateway applies to what it accepts, and its error says the problem in
 * that function's words. The `x-` prefix marks them as this project's: another JSON Schema tool reading the
 * published schemas (docs/contracts) ignores them, and the schemas' descriptions say what they mean.
 */
export const RULE_KEYWORDS = {
  /** A string PostgreSQL stores as sent: no NUL (U+0000), no lone UTF-16 surrogate. */
  storableText: 'x-storable-text',
  /** A date-time that parses and falls within the years 0001–9999 once its offset is applied. */
  storableInstant: 'x-storable-instant',
  /** An event title: 1–200 characters of one-line plain text, not only spaces. */
  eventTitle: 'x-event-title',
  /** A JSON object every consumer stores as sent: storable strings and keys, numbers within ±(2^53−1), depth. */
  storableJson: 'x-storable-json',
  /** Annotation: what the error says when the value of this schema is wrong (or missing, for a property). */
  error: 'x-error',
} as const;

type Problem = { field?: string; message: string } | undefined;

/**
 * An ajv keyword whose check names the problem (and, for a nested one, its own path from the message). The
 * field path is passed as a function: most values are fine, and building a path for each would cost more than
 * the checks themselves.
 */
function problemKeyword<D, S>(
  keyword: string,
  type: 'string' | 'object',
  schemaType: 'boolean' | 'object',
  problem: (data: D, schema: S, field: () => string) => Problem,
): FuncKeywordDefinition {
  const validate: SchemaValidateFunction = (schema: S, data: D, _parent, dataCxt) => {
    const found = problem(data, schema, () => fieldOf(dataCxt?.instancePath ?? ''));
    if (found === undefined) return true; // ajv reads `errors` only after a failure
    validate.errors = [
      { keyword, message: found.message, params: found.field ? { field: found.field } : {} },
    ];
    return false;
  };
  return { keyword, type, schemaType, errors: true, validate };
}

const message = (text: string | undefined): Problem => (text === undefined ? undefined : { message: text });

/** Registers the rules on an ajv instance (the one of ./message-validator.ts). */
export function addRuleKeywords(ajv: Ajv): Ajv {
  return ajv
    .addKeyword(
      problemKeyword<string, boolean>(RULE_KEYWORDS.storableText, 'string', 'boolean', (value) =>
        message(storableTextProblem(value)),
      ),
    )
    .addKeyword(
      problemKeyword<string, boolean>(RULE_KEYWORDS.storableInstant, 'string', 'boolean', (value) =>
        message(storableInstantProblem(value)),
      ),
    )
    .addKeyword(
      problemKeyword<string, boolean>(RULE_KEYWORDS.eventTitle, 'string', 'boolean', (value) =>
        message(titleProblem(value)),
      ),
    )
    .addKeyword(
      problemKeyword<JsonObject, { maxDepth: number }>(
        RULE_KEYWORDS.storableJson,
        'object',
        'object',
        (value, { maxDepth }, field) => {
          // Walked with an empty root name; the object's own path is only built for a problem (`payload.a[2]`).
          const problem = storableJsonProblem(value, '', maxDepth);
          return problem && { field: `${field()}${problem.field}`, message: problem.message };
        },
      ),
    )
    .addKeyword({ keyword: RULE_KEYWORDS.error, schemaType: 'string' });
}

// TypeBox builders of the schemas that use the rules. Options given to one are added to its schema.

type Options = Record<string, unknown>;

/** Non-empty text PostgreSQL can store. */
export const StorableText = (options: Options = {}) =>
  Type.String({ minLength: 1, [RULE_KEYWORDS.storableText]: true, ...options });

/** An ISO-8601 date-time within the years 0001–9999 (the projection stores it as timestamptz). */
export const StorableInstant = (options: Options = {}) =>
  Type.String({
    maxLength: 64,
    description: 'ISO-8601 date-time within the years 0001–9999 once its offset is applied',
    [RULE_KEYWORDS.storableInstant]: true,
    [RULE_KEYWORDS.error]: 'must be an ISO-8601 date-time',
    ...options,
  });

/** A prefixed ULID (see ids.ts): `cev_01JS1XQ7K3M4N5P6Q7R8S9T0VW`. */
export const PrefixedId = (prefix: string, options: Options = {}) =>
  Type.String({
    pattern: `^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`,
    [RULE_KEYWORDS.error]: `must be a ${prefix}_ id`,
    ...options,
  });

/** An event title, or null. */
export const NullableEventTitle = (options: Options = {}) =>
  Type.Unsafe<string | null>({
    type: ['string', 'null'],
    [RULE_KEYWORDS.eventTitle]: true,
    [RULE_KEYWORDS.error]: 'must be a string or null',
    ...options,
  });

/** A JSON object every consumer can store as sent (what the gateway checks before it acknowledges). */
export const StorableJsonObject = (options: Options = {}) =>
  Type.Unsafe<JsonObject>({
    type: 'object',
    [RULE_KEYWORDS.storableJson]: { maxDepth: MAX_JSON_DEPTH },
    [RULE_KEYWORDS.error]: 'must be an object',
    ...options,
  });

/** One of a list of strings. */
export const StringEnum = <const T extends readonly string[]>(values: T, options: Options = {}) =>
  Type.Unsafe<T[number]>({
    type: 'string',
    enum: [...values],
    [RULE_KEYWORDS.error]: `must be one of ${values.join(', ')}`,
    ...options,
  });

/**
 * The schema, or null: its type widened with "null" (its other keywords apply only to values of its own type),
 * so a nested error names the nested field, never "must match a schema in anyOf".
 */
export function Nullable<T extends TSchema & { type: string }>(schema: T, options: Options = {}) {
  return Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type, 'null'], ...options });
}
