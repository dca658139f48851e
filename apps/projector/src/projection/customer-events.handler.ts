import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type CustomerEventMessage, inWorkspace } from '@app/contracts';
import { isDataError } from '@app/database';
import type { ConsumedRecord, TopicHandler } from '@app/kafka';
import { CustomerLocks } from './customer-locks';
import { projectedItems } from './projection.metrics';
import { TimelineWritesRepository } from './timeline-writes.repository';

/**
 * customer-events.v1 → timeline items: one transaction and one multi-row insert per batch, sent with the
 * customers' locks in one round trip.
 */
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
    const locks = this.locks.lockStatement({ insert: items.map((i) => i.customerId) });
    const inserted = await this.timeline.insertManyAlone(this.db, items, locks);
    projectedItems.inc({ source: 'customer-events' }, inserted);
  }

  isPermanentError(error: unknown): boolean {
    return isDataError(error);
  }
}
