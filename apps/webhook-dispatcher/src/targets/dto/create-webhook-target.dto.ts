import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';
import { IsOmittable } from '@app/http';
import { MAX_URL_LENGTH } from '../target-url.policy';
import {
  LATEST_WEBHOOK_VERSION,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_VERSIONS,
  type WebhookEventType,
  type WebhookVersion,
} from '../../shared';

/**
 * A webhook target's fields and their rules, for creation and update alike: url and eventTypes are required,
 * the others may be left out (description may also be null).
 */
export class WebhookTargetFields {
  @ApiProperty({ example: 'https://example.com/webhooks/plain' })
  @IsString()
  @MaxLength(MAX_URL_LENGTH)
  url!: string;

  @ApiPropertyOptional({ enum: WEBHOOK_VERSIONS })
  @IsOmittable()
  @IsIn(WEBHOOK_VERSIONS, { message: `version must be one of ${WEBHOOK_VERSIONS.join(', ')}` })
  version?: WebhookVersion;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true, example: ['customer.customer_updated'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES, {
    each: true,
    message: `eventTypes must only contain ${WEBHOOK_EVENT_TYPES.join(', ')}`,
  })
  eventTypes!: WebhookEventType[];

  @ApiPropertyOptional({ type: String, example: 'CRM sync' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsBoolean()
  enabled?: boolean;
}

/** Left out, a new target gets the newest version and is enabled (the service applies these defaults). */
export class CreateWebhookTargetDto extends WebhookTargetFields {
  @ApiPropertyOptional({ default: LATEST_WEBHOOK_VERSION })
  declare version?: WebhookVersion;

  @ApiPropertyOptional({ default: true })
  declare enabled?: boolean;
}
