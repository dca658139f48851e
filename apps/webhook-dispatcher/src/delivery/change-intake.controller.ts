import { Controller, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { KnownWorkspaces } from '@app/auth';
import { type CustomerChangeMessage, parseCustomerChangeMessage, TOPICS } from '@app/contracts';
import { isDataError } from '@app/database';
import {
  type ConsumedRecord,
  type KafkaBatchContext,
  KafkaBatchErrors,
  type KafkaBatchPattern,
  type TopicHandler,
  workspaceChecked,
} from '@app/kafka';
import { CustomerChangesHandler } from './customer-changes.handler';

const customerChanges: KafkaBatchPattern<CustomerChangeMessage> = {
  parse: parseCustomerChangeMessage,
  isPermanentError: isDataError,
};

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
    this.changes = workspaceChecked(changes, (ids) => workspaces.unknownAmong(ids));
  }

  @EventPattern(TOPICS.customerChanges, customerChanges)
  async onCustomerChanges(
    @Payload() records: ConsumedRecord<CustomerChangeMessage>[],
    @Ctx() _context: KafkaBatchContext,
  ): Promise<void> {
    await this.changes.apply(records);
  }
}
