import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../../shared';
import { ListDeliveriesQueryDto } from './list-deliveries-query.dto';

const ULID = '[0-9A-HJKMNP-TV-Z]{26}';
const idOf = (prefix: string) => new RegExp(`^${prefix}_${ULID}$`);

/** The workspace-wide delivery log's filters; each one left out matches every delivery. */
export class ListWorkspaceDeliveriesQueryDto extends ListDeliveriesQueryDto {
  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES })
  @IsOptional()
  @IsIn(WEBHOOK_EVENT_TYPES, { message: `eventType must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}` })
  eventType?: WebhookEventType;

  @ApiPropertyOptional({
    description: 'The customer the event is about',
    example: 'c_01JS1XM2A3B4C5D6E7F8G9H0JK',
  })
  @IsOptional()
  @Matches(idOf('c'), { message: 'customerId must be a customer id (c_…)' })
  customerId?: string;

  @ApiPropertyOptional({
    description: 'The event id every attempt carries',
    example: 'pEv_01JS1XM2A3B4C5D6E7F8G9H0JK',
  })
  @IsOptional()
  @Matches(idOf('pEv'), { message: 'eventId must be an event id (pEv_…)' })
  eventId?: string;

  @ApiPropertyOptional({ example: 'whTarget_01JS1XM2A3B4C5D6E7F8G9H0JK' })
  @IsOptional()
  @Matches(idOf('whTarget'), { message: 'targetId must be a webhook target id (whTarget_…)' })
  targetId?: string;
}
