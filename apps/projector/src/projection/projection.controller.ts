import { Controller, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { KnownWorkspaces } from '@app/auth';
import { type CustomerChangeMessage, type CustomerEventMessage, TOPICS } from '@app/contracts';
import { type ConsumedRecord, type KafkaBatchContext, KafkaBatchErrors, type TopicHandler } from '@app/kafka';
import { CONSUMED } from '@app/platform';
import { CustomerChangesHandler } from './customer-changes.handler';
import { CustomerEventsHandler } from './customer-events.handler';

/**
 * The projection's consumer group (PROJECTOR_GROUP_ID, or a rebuild's own group): each batch of a partition,
 * validated message by message, is written in one transaction; its offsets are committed once that has
 * returned. Messages of a workspace that does not exist go to the DLQ instead of into the read models.
 */
@Controller()
@UseFilters(KafkaBatchErrors)
export class ProjectionController {
  private readonly events: TopicHandler<CustomerEventMessage>;
  private readonly changes: TopicHandler<CustomerChangeMessage>;

  constructor(events: CustomerEventsHandler, changes: CustomerChangesHandler, workspaces: KnownWorkspaces) {
    this.events = workspaces.guard(events);
    this.changes = workspaces.guard(changes);
  }

  @EventPattern(TOPICS.customerEvents, CONSUMED.customerEvents)
  async onCustomerEvents(
    @Payload() records: ConsumedRecord<CustomerEventMessage>[],
    @Ctx() _context: KafkaBatchContext,
  ): Promise<void> {
    await this.events.apply(records);
  }

  @EventPattern(TOPICS.customerChanges, CONSUMED.customerChanges)
  async onCustomerChanges(
    @Payload() records: ConsumedRecord<CustomerChangeMessage>[],
    @Ctx() _context: KafkaBatchContext,
  ): Promise<void> {
    await this.changes.apply(records);
  }
}
