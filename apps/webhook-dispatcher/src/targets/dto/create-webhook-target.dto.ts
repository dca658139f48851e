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
  ValidateIf,
} from 'class-validator';
import { MAX_URL_LENGTH } from '../target-url.policy';
import {
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_VERSIONS,
  type WebhookEventType,
  type WebhookVersion,
} from '../../shared';

// These may be left out for their default, not sent as null: IsOptional would let null through, and
// `"enabled": null` would then register an enabled target.
const present = (field: 'version' | 'enabled') => (o: CreateWebhookTargetDto) => o[field] !== undefined;

export class CreateWebhookTargetDto {
  @ApiProperty({ example: 'https://example.com/webhooks/plain' })
  @IsString()
  @MaxLength(MAX_URL_LENGTH)
  url!: string;

  @ApiPropertyOptional({ enum: WEBHOOK_VERSIONS, default: '2026-02-27' })
  @ValidateIf(present('version'))
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

  @ApiPropertyOptional({ example: 'CRM sync' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ default: true })
  @ValidateIf(present('enabled'))
  @IsBoolean()
  enabled?: boolean;
}
