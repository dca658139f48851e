import { InitialSchema1763800000000 } from './1763800000000-initial-schema';
import { IdempotencyKeys1763800100000 } from './1763800100000-idempotency-keys';
import { Webhooks1763800200000 } from './1763800200000-webhooks';
import { OutboxTraceparent1763801000000 } from './1763801000000-outbox-traceparent';
import { WebhookDueIndex1763802000000 } from './1763802000000-webhook-due-index';
import { WebhookRetention1763803000000 } from './1763803000000-webhook-retention';
import { TimelinePayloadJson1763804000000 } from './1763804000000-timeline-payload-json';
import { WebhookDeliveryDetails1763804500000 } from './1763804500000-webhook-delivery-details';
import { WebhookRetiredSecrets1763804600000 } from './1763804600000-webhook-retired-secrets';
import { TimelineTitlesAndCustomerSearch1763805000000 } from './1763805000000-timeline-titles-and-customer-search';
import { WebhookTargetClaims1763806000000 } from './1763806000000-webhook-target-claims';

/** Every migration, in order. TypeORM runs them; `synchronize` is never used. */
export const MIGRATIONS = [
  InitialSchema1763800000000,
  IdempotencyKeys1763800100000,
  Webhooks1763800200000,
  OutboxTraceparent1763801000000,
  WebhookDueIndex1763802000000,
  WebhookRetention1763803000000,
  TimelinePayloadJson1763804000000,
  WebhookDeliveryDetails1763804500000,
  WebhookRetiredSecrets1763804600000,
  TimelineTitlesAndCustomerSearch1763805000000,
  WebhookTargetClaims1763806000000,
];
