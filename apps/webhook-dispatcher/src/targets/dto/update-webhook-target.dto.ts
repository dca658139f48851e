import { ApiPropertyOptional } from '@nestjs/swagger';
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

/** Fields left out stay as they are; only description may be set to null. */
export class UpdateWebhookTargetDto {
  @ApiPropertyOptional()
  @ValidateIf((o: UpdateWebhookTargetDto) => o.url !== undefined)
  @IsString()
  @MaxLength(MAX_URL_LENGTH)
  url?: string;

  @ApiPropertyOptional({ enum: WEBHOOK_VERSIONS })
  @ValidateIf((o: UpdateWebhookTargetDto) => o.version !== undefined)
  @IsIn(WEBHOOK_VERSIONS, { message: `version must be one of ${WEBHOOK_VERSIONS.join(', ')}` })
  version?: WebhookVersion;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES, isArray: true })
  @ValidateIf((o: UpdateWebhookTargetDto) => o.eventTypes !== undefined)
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES, {
    each: true,
    message: `eventTypes must only contain ${WEBHOOK_EVENT_TYPES.join(', ')}`,
  })
  eventTypes?: WebhookEventType[];

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;

  @ApiPropertyOptional()
  @ValidateIf((o: UpdateWebhookTargetDto) => o.enabled !== undefined)
  @IsBoolean()
  enabled?: boolean;
}
