import { ContractViolationError } from './contract-violation.error';

export type JsonObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A message's bytes as a JSON object; what it holds is the contract's to judge. */
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
