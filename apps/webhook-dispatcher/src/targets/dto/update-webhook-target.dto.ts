import { ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { WebhookTargetFields } from './create-webhook-target.dto';

/**
 * A target's fields and rules, each of which may be left out (it then stays as it is; no default applies) but
 * not sent as null, except description, which null clears.
 */
export class UpdateWebhookTargetDto extends PartialType(WebhookTargetFields, { skipNullProperties: false }) {
  @ApiPropertyOptional({ type: String, nullable: true })
  override description?: string | null;
}
