import { type CustomerEventMessage, newId } from '@app/contracts';

/** A valid customer-events.v1 message (an order placed) of a fresh customer of `workspaceId`. */
export function testEvent(workspaceId: string): CustomerEventMessage {
  return {
    id: newId('cev'),
    workspaceId,
    customerId: newId('c'),
    customerExternalId: 'user_42',
    type: 'order.placed',
    title: null,
    payload: { orderId: 'ord_9001' },
    occurredAt: '2026-04-18T10:00:00.000Z',
    createdAt: '2026-04-18T10:00:00.000Z',
  };
}
