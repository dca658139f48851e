import type { AttemptOutcome } from '../dispatch/attempt-outcome';
import type { WebhookEventType, WebhookVersion } from '../targets/webhook-versions';

export const DELIVERY_STATUSES = ['pending', 'in_progress', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One change event for one target, as the delivery log shows it. */
export interface DeliveryView {
  id: string;
  targetId: string;
  eventId: string;
  eventType: WebhookEventType;
  status: DeliveryStatus;
  attemptCount: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AttemptView {
  id: string;
  number: number;
  /** A retry asked for through the API, outside the schedule. */
  manual: boolean;
  targetVersion: WebhookVersion;
  timestamp: string;
  durationMs: number | null;
  /** `in_progress` until the attempt ends; `lost` when the dispatcher stopped before recording it. */
  outcome: AttemptOutcome | 'lost' | 'in_progress';
  statusCode: number | null;
  error: string | null;
  /** The first 1 KiB of the response body. */
  responseBody: string | null;
}

export type DeliveryWithAttempts = DeliveryView & { attempts: AttemptView[] };
