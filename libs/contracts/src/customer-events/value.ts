import { ContractViolationError } from '../contract-violation.error';
import {
  isPlainObject,
  parseJsonObject,
  requireId,
  requireIsoDate,
  requireString,
  type JsonObject,
} from '../message-guards';
import { titleProblem } from '../plain-text';
import { storableJsonProblem } from '../storable-json';

/** The value of a customer-events.v1 message. */
export interface CustomerEventMessage {
  id: string;
  workspaceId: string;
  customerId: string;
  customerExternalId: string;
  type: string;
  /** The one-line summary an agent sees; null when the producer sent none (and in messages older than it). */
  title: string | null;
  payload: JsonObject;
  occurredAt: string;
  createdAt: string;
}

export const CUSTOMER_EVENT_TYPE_PATTERN = /^[a-z0-9_.]{1,100}$/;

/** Absent (a message written before titles existed) or null reads as null; anything else must be a title. */
function optionalTitle(obj: JsonObject): string | null {
  const value = obj.title;
  if (value === undefined || value === null) return null;
  const problem = typeof value === 'string' ? titleProblem(value) : 'must be a string or null';
  if (problem) throw new ContractViolationError('title', problem);
  return value as string;
}

export function parseCustomerEventMessage(raw: Buffer | null): CustomerEventMessage {
  const obj = parseJsonObject(raw);
  const type = requireString(obj, 'type', 100);
  if (!CUSTOMER_EVENT_TYPE_PATTERN.test(type))
    throw new ContractViolationError('type', 'must match [a-z0-9_.]{1,100}');
  const payload = obj.payload;
  if (!isPlainObject(payload)) throw new ContractViolationError('payload', 'must be an object');
  // The gateway's own rule: what it acknowledged, this consumer can store.
  const problem = storableJsonProblem(payload, 'payload');
  if (problem) throw new ContractViolationError(problem.field, problem.message);
  return {
    id: requireId(obj, 'id', 'cev'),
    workspaceId: requireId(obj, 'workspaceId', 'w'),
    customerId: requireId(obj, 'customerId', 'c'),
    customerExternalId: requireString(obj, 'customerExternalId', 255),
    type,
    title: optionalTitle(obj),
    payload,
    occurredAt: requireIsoDate(obj, 'occurredAt'),
    createdAt: requireIsoDate(obj, 'createdAt'),
  };
}
