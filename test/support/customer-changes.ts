import { type Customer, type CustomerChangeMessage, newId } from '@app/contracts';

const actor = { actorType: 'system', system: 'test' } as const;

/** A valid customer as the gateway would store it, made by the system actor now. */
export function testCustomer(id: string): Customer {
  const now = new Date().toISOString();
  return {
    id,
    externalId: id,
    email: { email: `${id.toLowerCase()}@example.com`, isVerified: false, verifiedAt: null },
    fullName: 'Test Customer',
    shortName: null,
    markedAsSpamAt: null,
    markedAsSpamBy: null,
    customerGroupMemberships: [],
    createdAt: now,
    createdBy: actor,
    updatedAt: now,
    updatedBy: actor,
  };
}

/** A valid customer-changes.v1 message of `type` about a fresh customer of `workspaceId`. */
export function testChange(
  workspaceId: string,
  type: CustomerChangeMessage['type'],
  version = 1,
): CustomerChangeMessage {
  const customerId = newId('c');
  return {
    id: newId('pEv'),
    type,
    workspaceId,
    customerId,
    version,
    customer: type === 'customer.customer_deleted' ? null : testCustomer(customerId),
    previousCustomer: type === 'customer.customer_created' ? null : testCustomer(customerId),
    actor,
    occurredAt: new Date().toISOString(),
  };
}
