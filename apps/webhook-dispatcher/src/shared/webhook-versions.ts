/** Plain's webhook versions this dispatcher renders; a target without one gets the newest. */
export const WEBHOOK_VERSIONS = ['2024-09-18', '2025-08-06', '2026-02-27'] as const;
export type WebhookVersion = (typeof WEBHOOK_VERSIONS)[number];
export const LATEST_WEBHOOK_VERSION: WebhookVersion = '2026-02-27';

/** What a target can subscribe to. `customer.customer_changed` covers creations and updates. */
export const WEBHOOK_EVENT_TYPES = [
  'customer.customer_created',
  'customer.customer_updated',
  'customer.customer_deleted',
  'customer.customer_changed',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
