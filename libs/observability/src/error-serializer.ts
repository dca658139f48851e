import { stdSerializers } from 'pino';

export const REDACTED = '[redacted]';

/** Fields of database errors that quote row values: PostgreSQL's "Key (email)=(x@y) already exists". */
const VALUE_FIELDS = new Set(['detail', 'where']);
/** How deep nested errors (`driverError`, `cause`, aggregated errors) are looked into. */
const MAX_DEPTH = 6;

/**
 * pino's `err` serializer, minus customer data. TypeORM's QueryFailedError carries the statement's
 * `parameters` (emails, names) and, like node-pg's error in its `driverError`, PostgreSQL's `detail`; both
 * would otherwise be logged whole. Parameters are logged by position and type only (`$1: string`), `detail`
 * and `where` not at all, and the message of a data exception (SQLSTATE class 22, which quotes the offending
 * value) with its quoted values blanked. The SQL text, SQLSTATE, constraint, table and column stay: enough to
 * find the bug, nothing about the customer.
 */
export function serializeError(error: unknown): unknown {
  // pino-http hands over what the standard serializer already made of the error; a logger call, the error.
  return scrub(error instanceof Error ? stdSerializers.err(error) : error, 0);
}

function scrub(value: unknown, depth: number): unknown {
  if (Array.isArray(value)) return depth > MAX_DEPTH ? [] : value.map((item) => scrub(item, depth + 1));
  if (!isRecord(value) || depth > MAX_DEPTH) return value;
  const dataException = typeof value.code === 'string' && /^22[0-9A-Z]{3}$/.test(value.code);
  const copy = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
  for (const [key, field] of Object.entries(value)) {
    if (key === 'parameters') copy[key] = describeParameters(field);
    else if (VALUE_FIELDS.has(key) && typeof field === 'string') copy[key] = REDACTED;
    else if (dataException && (key === 'message' || key === 'stack') && typeof field === 'string')
      copy[key] = field.replace(/"(?:[^"]|"")*"/g, `"${REDACTED}"`);
    else
      copy[key] =
        field instanceof Error ? scrub(stdSerializers.err(field), depth + 1) : scrub(field, depth + 1);
  }
  return copy;
}

/** Plain objects and pino's serialized errors: what an error's fields are made of. Not Dates, Buffers… */
function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || proto === Object.prototype || proto === SERIALIZED_ERROR_PROTO;
}

const SERIALIZED_ERROR_PROTO = Object.getPrototypeOf(stdSerializers.err(new Error())) as object;

function describeParameters(parameters: unknown): unknown {
  if (Array.isArray(parameters)) return parameters.map((p, i) => `$${i + 1}: ${typeOf(p)}`);
  if (isRecord(parameters)) {
    return Object.fromEntries(Object.entries(parameters).map(([name, p]) => [name, typeOf(p)]));
  }
  return parameters === undefined ? undefined : typeOf(parameters);
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (Buffer.isBuffer(value)) return 'bytes';
  if (value instanceof Date) return 'date';
  return typeof value;
}
