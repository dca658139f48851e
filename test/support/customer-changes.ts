import { type CustomerChangeMessage, newId } from '@app/contracts';
import { customerRecord } from '@test/e2e/projector-fixtures';

const actor = { actorType: 'system', system: 'test' } as const;

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
    customer:
      type === 'customer.customer_deleted' ? null : customerRecord(customerId, customerId, 'Test Customer'),
    previousCustomer:
      type === 'customer.customer_created' ? null : customerRecord(customerId, customerId, 'Test Customer'),
    actor,
    occurredAt: new Date().toISOString(),
  };
}
