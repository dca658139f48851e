import { ContractViolationError } from '../contract-violation.error';
import type { Actor, Customer } from '../customer';
import { isPlainObject, parseJsonObject, requireId, requireIsoDate } from '../message-guards';

export const CUSTOMER_CHANGE_TYPES = [
  'customer.customer_created',
  'customer.customer_updated',
  'customer.customer_deleted',
] as const;

export type CustomerChangeType = (typeof CUSTOMER_CHANGE_TYPES)[number];

/** The value of a customer-changes.v1 message (written by the gateway's outbox relay). */
export interface CustomerChangeMessage {
  id: string;
  type: CustomerChangeType;
  workspaceId: string;
  customerId: string;
  version: number;
  customer: Customer | null;
  previousCustomer: Customer | null;
  actor: Actor;
  occurredAt: string;
}

function isChangeType(value: unknown): value is CustomerChangeType {
  return (CUSTOMER_CHANGE_TYPES as readonly unknown[]).includes(value);
}

export function parseCustomerChangeMessage(raw: Buffer | null): CustomerChangeMessage {
  const obj = parseJsonObject(raw);
  const type = obj.type;
  if (!isChangeType(type))
    throw new ContractViolationError('type', `must be one of ${CUSTOMER_CHANGE_TYPES.join(', ')}`);
  const version = obj.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new ContractViolationError('version', 'must be a positive integer');
  }
  const customer = obj.customer ?? null;
  const previousCustomer = obj.previousCustomer ?? null;
  if (type === 'customer.customer_deleted' ? customer !== null : !isPlainObject(customer)) {
    throw new ContractViolationError('customer', 'must be an object, or null on delete');
  }
  if (type === 'customer.customer_created' ? previousCustomer !== null : !isPlainObject(previousCustomer)) {
    throw new ContractViolationError('previousCustomer', 'must be an object, or null on create');
  }
  if (!isPlainObject(obj.actor) || typeof obj.actor.actorType !== 'string') {
    throw new ContractViolationError('actor', 'must be an actor object');
  }
  const customerId = requireId(obj, 'customerId', 'c');
  for (const [field, value] of [
    ['customer', customer],
    ['previousCustomer', previousCustomer],
  ] as const) {
    if (isPlainObject(value) && value.id !== customerId) {
      throw new ContractViolationError(`${field}.id`, 'must equal customerId');
    }
  }
  return {
    id: requireId(obj, 'id', 'pEv'),
    type,
    workspaceId: requireId(obj, 'workspaceId', 'w'),
    customerId,
    version,
    customer: customer as Customer | null,
    previousCustomer: previousCustomer as Customer | null,
    actor: obj.actor as Actor,
    occurredAt: requireIsoDate(obj, 'occurredAt'),
  };
}
