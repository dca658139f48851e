import { type Actor, type Customer, type CustomerChangeMessage, newId } from '@app/contracts';

const DAY_MS = 86_400_000;

/**
 * The change a test delivery carries: an example customer's name updated by the caller, as a real
 * customer.customer_updated would be. Its ids are fresh, so it can never be taken for a real customer's.
 */
export function exampleCustomerUpdate(
  workspaceId: string,
  actor: Actor,
  now = new Date(),
): CustomerChangeMessage {
  const customerId = newId('c');
  const createdAt = new Date(now.getTime() - DAY_MS).toISOString();
  const previousCustomer: Customer = {
    id: customerId,
    externalId: 'example_customer',
    email: { email: 'peter.santos@example.com', isVerified: false, verifiedAt: null },
    fullName: 'Peter Santos',
    shortName: 'Peter',
    markedAsSpamAt: null,
    markedAsSpamBy: null,
    customerGroupMemberships: [],
    createdAt,
    createdBy: actor,
    updatedAt: createdAt,
    updatedBy: actor,
  };
  const occurredAt = now.toISOString();
  return {
    id: newId('pEv'),
    type: 'customer.customer_updated',
    workspaceId,
    customerId,
    version: 2,
    customer: { ...previousCustomer, fullName: 'Peter S. Santos', updatedAt: occurredAt, updatedBy: actor },
    previousCustomer,
    actor,
    occurredAt,
  };
}
