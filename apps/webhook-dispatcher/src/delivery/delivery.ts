import type { AttemptOutcome } from './attempt-result';
import type { WebhookEventType, WebhookVersion } from '../shared';

export const DELIVERY_STATUSES = ['pending', 'in_progress', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One change event for one target, as the delivery log shows it. */
export interface DeliveryView {
  id: string;
  targetId: string;
  eventId: string;
  eventType: WebhookEventType;
  /** The customer the event is about (`c_…`). */
  customerId: string | null;
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
  /** The response's headers (bounded); null when no response came. */
  responseHeaders: Record<string, string> | null;
  /** What was sent: headers with signatures masked, and the body; null when nothing was sent. */
  request: { headers: Record<string, string>; body: string } | null;
}

/** A target's attempts over the last 24 hours; the rate is null when there was none. */
export interface TargetDeliveryStats {
  attempts24h: number;
  succeeded24h: number;
  successRate24h: number | null;
}

export interface RecoverResult {
  /** Failed deliveries that got a new attempt. */
  scheduled: number;
}

export type DeliveryWithAttempts = DeliveryView & { attempts: AttemptView[] };
