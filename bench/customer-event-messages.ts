import { type CustomerEventMessage, newId } from '@app/contracts';
import type { Message } from 'kafkajs';
import { eventShape, externalIdOf } from './event-payloads';

/** A customer as the events topic names it. */
export interface EventCustomer {
  customerId: string;
  externalId: string;
}

export function syntheticCustomers(prefix: string, count: number): EventCustomer[] {
  return Array.from({ length: count }, (_, n) => ({
    customerId: newId('c'),
    externalId: externalIdOf(prefix, n),
  }));
}

/** The value the gateway would publish for event `n` (same shape and size), keyed by customerId. */
export function customerEventMessage(
  workspaceId: string,
  customer: EventCustomer,
  n: number,
): CustomerEventMessage {
  const now = new Date().toISOString();
  const { type, payload } = eventShape(n);
  return {
    id: newId('cev'),
    workspaceId,
    customerId: customer.customerId,
    customerExternalId: customer.externalId,
    type,
    title: null,
    payload,
    occurredAt: now,
    createdAt: now,
  };
}

export function toKafkaMessage(message: CustomerEventMessage): Message {
  return { key: message.customerId, value: JSON.stringify(message) };
}
