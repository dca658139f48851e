import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { KnownWorkspaces } from '@app/auth';
import type { CustomerChangeMessage } from '@app/contracts';
import type { ConsumedRecord, TopicHandler } from '@app/kafka';
import { Consume } from '@app/platform';
import { CustomerChangesHandler } from './customer-changes.handler';

/**
 * The dispatcher's consumer group (DISPATCHER_GROUP_ID) on customer-changes.v1: each validated batch becomes
 * deliveries in one transaction, and its offsets are committed after it. A change of a workspace that does
 * not exist goes to the DLQ rather than being silently dropped.
 */
@Controller()
export class ChangeIntakeController {
  private readonly changes: TopicHandler<CustomerChangeMessage>;

  constructor(changes: CustomerChangesHandler, workspaces: KnownWorkspaces) {
    this.changes = workspaces.guard(changes);
  }

  @Consume('customerChanges')
  onCustomerChanges(@Payload() records: ConsumedRecord<CustomerChangeMessage>[]): Promise<void> {
    return this.changes.apply(records);
  }
}
