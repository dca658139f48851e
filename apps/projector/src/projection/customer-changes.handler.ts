import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type CustomerChangeMessage, parseWorkspaceId } from '@app/contracts';
import { isDataError } from '@app/database';
import type { ConsumedRecord, TopicHandler } from '@app/kafka';
import { changeSummary } from './change-summary';
import { CustomerLocks } from './customer-locks';
import { DirectoryWritesRepository } from './directory-writes.repository';
import { projectedItems } from './projection.metrics';
import { TimelineWritesRepository } from './timeline-writes.repository';

const DELETED = 'customer.customer_deleted';

/**
 * customer-changes.v1 → customer directory and timeline items, in one transaction per batch, in offset order
 * (the key is the customerId, so one customer's changes arrive in the order they were made). A deletion
 * erases the customer's timeline and directory entry and leaves a tombstone.
 */
@Injectable()
export class CustomerChangesHandler implements TopicHandler<CustomerChangeMessage> {
  constructor(
    private readonly db: DataSource,
    private readonly locks: CustomerLocks,
    private readonly directory: DirectoryWritesRepository,
    private readonly timeline: TimelineWritesRepository,
  ) {}

  async apply(records: ConsumedRecord<CustomerChangeMessage>[]): Promise<void> {
    const changes = records.map((r) => r.value);
    let inserted = 0;
    await this.db.transaction(async (em) => {
      await this.locks.lock(em, {
        insert: changes.filter((c) => c.type !== DELETED).map((c) => c.customerId),
        erase: changes.filter((c) => c.type === DELETED).map((c) => c.customerId),
      });
      for (const change of changes) {
        const workspaceId = parseWorkspaceId(change.workspaceId);
        if (change.type === DELETED) {
          await this.directory.tombstone(em, workspaceId, change.customerId, change.version);
          await this.timeline.eraseCustomer(em, workspaceId, change.customerId);
          continue;
        }
        const customer = change.customer!;
        await this.directory.upsert(em, {
          customerId: change.customerId,
          workspaceId,
          externalId: customer.externalId ?? change.customerId,
          customer,
          version: change.version,
        });
        inserted += await this.timeline.insertMany(em, [
          {
            id: change.id,
            workspaceId,
            customerId: change.customerId,
            type: change.type,
            // The viewer writes a change's sentence from its payload (changed fields, actor) itself.
            title: null,
            payload: changeSummary(change),
            occurredAt: change.occurredAt,
            createdAt: change.occurredAt,
          },
        ]);
      }
    });
    projectedItems.inc({ source: 'customer-changes' }, inserted);
  }

  isPermanentError(error: unknown): boolean {
    return isDataError(error);
  }
}
