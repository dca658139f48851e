import { ApiProperty } from '@nestjs/swagger';
import { DATE_TIME, type SameShape } from '@app/http/openapi';
import type { DisabledReason, WebhookTarget } from '../webhook-target';
import {
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_VERSIONS,
  type WebhookEventType,
  type WebhookVersion,
} from '../../shared';

/** A webhook target as every target route answers it (never with its secret). */
export class WebhookTargetResponse {
  @ApiProperty({ example: 'whTarget_01JS1XM2A3B4C5D6E7F8G9H0JK' })
  id!: string;

  @ApiProperty({ example: 'https://example.com/webhooks/plain' })
  url!: string;

  @ApiProperty({ enum: WEBHOOK_VERSIONS })
  version!: WebhookVersion;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true })
  eventTypes!: WebhookEventType[];

  @ApiProperty({ type: String, nullable: true, example: 'CRM sync' })
  description!: string | null;

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({
    enum: ['gone', 'failing'],
    nullable: true,
    description: 'Why the dispatcher disabled it: the receiver answered 410, or it failed for 5 days',
  })
  disabledReason!: DisabledReason | null;

  @ApiProperty({ ...DATE_TIME, nullable: true, description: 'Until when the previous secret still signs' })
  previousSecretExpiresAt!: string | null;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  lastSuccessAt!: string | null;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  failingSince!: string | null;

  @ApiProperty(DATE_TIME)
  createdAt!: string;

  @ApiProperty(DATE_TIME)
  updatedAt!: string;
}

const _shape: SameShape<WebhookTargetResponse, Omit<WebhookTarget, 'workspaceId'>> = true;

export function toTargetResponse(target: WebhookTarget): WebhookTargetResponse {
  const { workspaceId: _workspaceId, ...response } = target;
  return response;
}

/** Only the answers to creation and rotation carry the signing secret. */
export class WebhookTargetWithSecretResponse extends WebhookTargetResponse {
  @ApiProperty({
    description: 'The signing secret, shown this once',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  })
  secret!: string;
}
