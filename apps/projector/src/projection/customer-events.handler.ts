import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type CustomerEventMessage, inWorkspace } from '@app/contracts';
import { isDataError } from '@app/database';
import type { ConsumedRecord, TopicHandler } from '@app/kafka';
import { CustomerLocks } from './customer-locks';
import { projectedItems } from './projection.metrics';
import { TimelineWritesRepository } from './timeline-writes.repository';

/** customer-events.v1 → timeline items: one transaction and one multi-row insert per batch. */
@Injectable()
export class CustomerEventsHandler implements TopicHandler<CustomerEventMessage> {
  constructor(
    private readonly db: DataSource,
    private readonly locks: CustomerLocks,
    private readonly timeline: TimelineWritesRepository,
  ) {}

  async apply(records: ConsumedRecord<CustomerEventMessage>[]): Promise<void> {
    // The messages themselves are the items: insertMany reads only the fields it stores.
    const items = records.map(({ value }) => inWorkspace(value));
    const inserted = await this.db.transaction(async (em) => {
      await this.locks.lock(em, { insert: items.map((i) => i.customerId) });
      return this.timeline.insertMany(em, items);
    });
    projectedItems.inc({ source: 'customer-events' }, inserted);
  }

  isPermanentError(error: unknown): boolean {
    return isDataError(error);
  }
}
