import { ApiProperty } from '@nestjs/swagger';
import { DATE_TIME } from '@app/http/openapi';
import type { AttemptOutcome } from '../attempt-result';
import {
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_VERSIONS,
  type WebhookEventType,
  type WebhookVersion,
} from '../../shared';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../delivery';

const HEADERS = { type: 'object', additionalProperties: { type: 'string' } } as const;
const OUTCOMES = [
  'success',
  'http_error',
  'redirect',
  'gone',
  'timeout',
  'network_error',
  'refused',
  'internal_error',
  'lost',
  'in_progress',
] as const;

/** One change event for one target, as the delivery log shows it. */
export class DeliveryResponse {
  @ApiProperty({ example: 'whDelivery_01JS1XM2A3B4C5D6E7F8G9H0JK' })
  id!: string;

  @ApiProperty({ example: 'whTarget_01JS1XM2A3B4C5D6E7F8G9H0JK' })
  targetId!: string;

  @ApiProperty({ example: 'pEv_01JS1XM2A3B4C5D6E7F8G9H0JK', description: 'The id every attempt carries' })
  eventId!: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES })
  eventType!: WebhookEventType;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'c_01JS1XM2A3B4C5D6E7F8G9H0JK',
    description: 'The customer the event is about',
  })
  customerId!: string | null;

  @ApiProperty({ enum: DELIVERY_STATUSES })
  status!: DeliveryStatus;

  @ApiProperty({ example: 1 })
  attemptCount!: number;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  nextAttemptAt!: string | null;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  lastAttemptAt!: string | null;

  @ApiProperty({ type: Number, nullable: true, example: 200 })
  lastStatusCode!: number | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  lastError!: string | null;

  @ApiProperty(DATE_TIME)
  createdAt!: string;

  @ApiProperty(DATE_TIME)
  updatedAt!: string;
}

export class SentRequestResponse {
  @ApiProperty({ ...HEADERS, description: 'As sent, with the signature headers masked' })
  headers!: Record<string, string>;

  @ApiProperty({ description: 'The JSON body as sent (up to 64 KiB)' })
  body!: string;
}

export class AttemptResponse {
  @ApiProperty({ example: 'whAttempt_01JS1XM2A3B4C5D6E7F8G9H0JK' })
  id!: string;

  @ApiProperty({ example: 1 })
  number!: number;

  @ApiProperty({ description: 'Asked for through the API (retry, recover, test), outside the schedule' })
  manual!: boolean;

  @ApiProperty({ enum: WEBHOOK_VERSIONS })
  targetVersion!: WebhookVersion;

  @ApiProperty(DATE_TIME)
  timestamp!: string;

  @ApiProperty({ type: Number, nullable: true, example: 42 })
  durationMs!: number | null;

  @ApiProperty({
    enum: OUTCOMES,
    description:
      '`in_progress` until the attempt ends; `lost` when the dispatcher stopped before recording it',
  })
  outcome!: AttemptOutcome | 'lost' | 'in_progress';

  @ApiProperty({ type: Number, nullable: true, example: 200 })
  statusCode!: number | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  error!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The first 1 KiB of the response body' })
  responseBody!: string | null;

  @ApiProperty({ ...HEADERS, nullable: true, description: 'The response headers; null when none came' })
  responseHeaders!: Record<string, string> | null;

  @ApiProperty({ type: SentRequestResponse, nullable: true, description: 'Null when nothing was sent' })
  request!: SentRequestResponse | null;
}

export class DeliveryWithAttemptsResponse extends DeliveryResponse {
  @ApiProperty({ type: [AttemptResponse], description: 'Oldest first' })
  attempts!: AttemptResponse[];
}

/** A target's attempts over the last 24 hours. */
export class TargetDeliveryStatsResponse {
  @ApiProperty({ description: 'Attempts started in the last 24 hours', example: 40 })
  attempts24h!: number;

  @ApiProperty({ description: 'Of those, the ones answered 2xx', example: 38 })
  succeeded24h!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    example: 0.95,
    description: 'succeeded / attempts; null without attempts',
  })
  successRate24h!: number | null;
}

export class RecoverResultResponse {
  @ApiProperty({ description: 'Failed deliveries that got a new attempt', example: 3 })
  scheduled!: number;
}
