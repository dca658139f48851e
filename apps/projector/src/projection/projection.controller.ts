import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { KnownWorkspaces } from '@app/auth';
import type { CustomerChangeMessage, CustomerEventMessage } from '@app/contracts';
import { type ConsumedRecord, joinedBatches, type TopicHandler } from '@app/kafka';
import { Consume } from '@app/platform';
import { CustomerChangesHandler } from './customer-changes.handler';
import { CustomerEventsHandler } from './customer-events.handler';

/**
 * The projection's consumer group (PROJECTOR_GROUP_ID, or a rebuild's own group): each batch of a partition,
 * validated message by message, is written in one transaction; its offsets are committed once that has
 * returned. Messages of a workspace that does not exist go to the DLQ instead of into the read models.
 */
@Controller()
export class ProjectionController {
  private readonly events: TopicHandler<CustomerEventMessage>;
  private readonly changes: TopicHandler<CustomerChangeMessage>;

  constructor(events: CustomerEventsHandler, changes: CustomerChangesHandler, workspaces: KnownWorkspaces) {
    this.events = joinedBatches(workspaces.guard(events));
    this.changes = joinedBatches(workspaces.guard(changes));
  }

  @Consume('customerEvents')
  onCustomerEvents(@Payload() records: ConsumedRecord<CustomerEventMessage>[]): Promise<void> {
    return this.events.apply(records);
  }

  @Consume('customerChanges')
  onCustomerChanges(@Payload() records: ConsumedRecord<CustomerChangeMessage>[]): Promise<void> {
    return this.changes.apply(records);
  }
}
