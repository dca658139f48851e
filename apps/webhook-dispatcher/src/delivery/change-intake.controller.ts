import { Controller, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { KnownWorkspaces } from '@app/auth';
import { type CustomerChangeMessage, TOPICS } from '@app/contracts';
import { type ConsumedRecord, type KafkaBatchContext, KafkaBatchErrors, type TopicHandler } from '@app/kafka';
import { CONSUMED } from '@app/platform';
import { CustomerChangesHandler } from './customer-changes.handler';

/**
 * The dispatcher's consumer group (DISPATCHER_GROUP_ID) on customer-changes.v1: each validated batch becomes
 * deliveries in one transaction, and its offsets are committed after it. A change of a workspace that does
 * not exist goes to the DLQ rather than being silently dropped.
 */
@Controller()
@UseFilters(KafkaBatchErrors)
export class ChangeIntakeController {
  private readonly changes: TopicHandler<CustomerChangeMessage>;

  constructor(changes: CustomerChangesHandler, workspaces: KnownWorkspaces) {
    this.changes = workspaces.guard(changes);
  }

  @EventPattern(TOPICS.customerChanges, CONSUMED.customerChanges)
  async onCustomerChanges(
    @Payload() records: ConsumedRecord<CustomerChangeMessage>[],
    @Ctx() _context: KafkaBatchContext,
  ): Promise<void> {
    await this.changes.apply(records);
  }
}
