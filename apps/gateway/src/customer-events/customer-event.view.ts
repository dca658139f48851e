import type { CustomerEventMessage } from '@app/contracts';

/** What POST /customer-events answers in `data`. */
export interface CustomerEventView {
  id: string;
  customerId: string;
  type: string;
  title: string | null;
  payload: Record<string, unknown>;
  occurredAt: string;
  createdAt: string;
}

export function toCustomerEventView(message: CustomerEventMessage): CustomerEventView {
  return {
    id: message.id,
    customerId: message.customerId,
    type: message.type,
    title: message.title,
    payload: message.payload,
    occurredAt: message.occurredAt,
    createdAt: message.createdAt,
  };
}
