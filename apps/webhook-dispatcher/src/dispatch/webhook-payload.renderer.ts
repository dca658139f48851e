import type { CustomerChangeMessage } from '@app/contracts';
import type { WebhookEventType, WebhookVersion } from '../shared';
import { plainCustomer } from './plain-customer';

export interface RenderInput {
  event: CustomerChangeMessage;
  /** What the delivery carries: the change's own type, or customer.customer_changed. */
  eventType: WebhookEventType;
  target: { id: string; version: WebhookVersion };
  attempt: { id: string; number: number; timestamp: string };
}

export interface PlainWebhookEnvelope {
  timestamp: string;
  workspaceId: string;
  id: string;
  type: WebhookEventType;
  payload: Record<string, unknown>;
  webhookMetadata: {
    webhookTargetId: string;
    webhookTargetVersion: WebhookVersion;
    webhookDeliveryAttemptId: string;
    webhookDeliveryAttemptNumber: number;
    webhookDeliveryAttemptTimestamp: string;
  };
}

type PayloadRenderer = (event: CustomerChangeMessage, eventType: WebhookEventType) => Record<string, unknown>;

function customerOf(event: CustomerChangeMessage, field: 'customer' | 'previousCustomer') {
  const customer = event[field];
  if (!customer) throw new Error(`${event.type} event ${event.id} has no ${field}`);
  return plainCustomer(customer);
}

/** The customer payloads of Plain's schema 2024-09-18. */
const customerPayload2024: PayloadRenderer = (event, eventType) => {
  switch (eventType) {
    case 'customer.customer_created':
      return { eventType, customer: customerOf(event, 'customer') };
    case 'customer.customer_updated':
      return {
        eventType,
        customer: customerOf(event, 'customer'),
        previousCustomer: customerOf(event, 'previousCustomer'),
      };
    case 'customer.customer_deleted':
      return { eventType, previousCustomer: customerOf(event, 'previousCustomer') };
    case 'customer.customer_changed': {
      const added = event.type === 'customer.customer_created';
      return {
        changeType: added ? 'ADDED' : 'UPDATED',
        eventType,
        customer: customerOf(event, 'customer'),
        previousCustomer: added ? null : customerOf(event, 'previousCustomer'),
      };
    }
  }
};

/**
 * Payload shape per version. The JSON schemas bundled in Plain's SDK 5.10.3 (2024-09-18), 5.11.0 (2025-08-06)
 * and 5.12.1 (2026-02-27) define the customer, the four customer payloads and the envelope identically; they
 * differ in thread payloads and in the webhookTargetVersion constant. A version that changes a customer
 * payload gets its own renderer here.
 */
const PAYLOAD_RENDERERS: Record<WebhookVersion, PayloadRenderer> = {
  '2024-09-18': customerPayload2024,
  '2025-08-06': customerPayload2024,
  '2026-02-27': customerPayload2024,
};

/** Plain's webhook envelope for one attempt: `id` is the event's, the metadata the attempt's own. */
export function renderWebhookBody(input: RenderInput): PlainWebhookEnvelope {
  const { event, eventType, target, attempt } = input;
  return {
    timestamp: event.occurredAt,
    workspaceId: event.workspaceId,
    id: event.id,
    type: eventType,
    payload: PAYLOAD_RENDERERS[target.version](event, eventType),
    webhookMetadata: {
      webhookTargetId: target.id,
      webhookTargetVersion: target.version,
      webhookDeliveryAttemptId: attempt.id,
      webhookDeliveryAttemptNumber: attempt.number,
      webhookDeliveryAttemptTimestamp: attempt.timestamp,
    },
  };
}
