import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type CustomerChangeMessage, inWorkspace } from '@app/contracts';
import { isDataError } from '@app/database';
import type { ConsumedRecord, TopicHandler } from '@app/kafka';
import { parseTraceparent, traceparentOf } from '@app/observability/tracing';
import { AttemptsDue } from './attempts-due.signal';
import { DeliveryIntakeRepository } from './delivery-intake.repository';
import { deliveriesCreated } from './delivery.metrics';

/**
 * customer-changes.v1 → deliveries, written by one statement per batch; the transport commits the Kafka offsets
 * only after it. The first attempts start at once, once it is committed.
 */
@Injectable()
export class CustomerChangesHandler implements TopicHandler<CustomerChangeMessage> {
  constructor(
    private readonly db: DataSource,
    private readonly intake: DeliveryIntakeRepository,
    private readonly attemptsDue: AttemptsDue,
  ) {}

  async apply(records: ConsumedRecord<CustomerChangeMessage>[]): Promise<void> {
    const traceparents = new Map<string, string>();
    for (const { value, message } of records) {
      const traceparent = traceparentOf(message.headers);
      if (parseTraceparent(traceparent)) traceparents.set(value.id, traceparent!);
    }
    const changes = records.map((r) => inWorkspace(r.value));
    const created = await this.intake.record(this.db.manager, changes, traceparents);
    if (created > 0) {
      deliveriesCreated.inc(created);
      this.attemptsDue.announce();
    }
  }

  isPermanentError(error: unknown): boolean {
    return isDataError(error);
  }
}
