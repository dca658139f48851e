import { ContractViolationError } from './contract-violation.error';
import { isId, type IdPrefix } from './ids';
import { storableInstantProblem, storableTextProblem } from './storable-json';

// Small, allocation-free checks: consumers validate every message of every batch.

export type JsonObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseJsonObject(raw: Buffer | null, path = 'value'): JsonObject {
  if (raw === null || raw.length === 0) throw new ContractViolationError(path, 'is empty');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ContractViolationError(path, 'is not valid JSON');
  }
  if (!isPlainObject(parsed)) throw new ContractViolationError(path, 'is not a JSON object');
  return parsed;
}

export function requireString(obj: JsonObject, field: string, maxLength = 10_000): string {
  const value = obj[field];
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    throw new ContractViolationError(field, 'must be a non-empty string');
  }
  const problem = storableTextProblem(value);
  if (problem) throw new ContractViolationError(field, problem);
  return value;
}

export function requireId(obj: JsonObject, field: string, prefix: IdPrefix): string {
  const value = obj[field];
  if (!isId(value, prefix)) throw new ContractViolationError(field, `must be a ${prefix}_ id`);
  return value;
}

export function requireIsoDate(obj: JsonObject, field: string): string {
  const value = requireString(obj, field, 64);
  const problem = storableInstantProblem(value);
  if (problem) throw new ContractViolationError(field, problem);
  return value;
}
