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
 * erases the customer's timeline and directory entry and leaves a tombstone. The changes between deletions are
 * written together: two statements for the directory, one (and its announcement) for the timeline.
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
      // In offset order: each run of changes between deletions is written by one statement per table.
      for (const run of runsBetweenDeletions(changes)) {
        if ('deleted' in run) {
          const { customerId, version } = run.deleted;
          const workspaceId = parseWorkspaceId(run.deleted.workspaceId);
          await this.directory.tombstone(em, workspaceId, customerId, version);
          await this.timeline.eraseCustomer(em, workspaceId, customerId);
          continue;
        }
        const scoped = run.changes.map((change) => ({
          change,
          workspaceId: parseWorkspaceId(change.workspaceId),
        }));
        await this.directory.upsertMany(
          em,
          scoped.map(({ change, workspaceId }) => ({
            customerId: change.customerId,
            workspaceId,
            externalId: change.customer!.externalId ?? change.customerId,
            customer: change.customer!,
            version: change.version,
          })),
        );
        inserted += await this.timeline.insertMany(
          em,
          scoped.map(({ change, workspaceId }) => ({
            id: change.id,
            workspaceId,
            customerId: change.customerId,
            type: change.type,
            // The viewer writes a change's sentence from its payload (changed fields, actor) itself.
            title: null,
            payload: changeSummary(change),
            occurredAt: change.occurredAt,
            createdAt: change.occurredAt,
          })),
        );
      }
    });
    projectedItems.inc({ source: 'customer-changes' }, inserted);
  }

  isPermanentError(error: unknown): boolean {
    return isDataError(error);
  }
}

/** A run of creations and updates, or one deletion. */
type Run = { changes: CustomerChangeMessage[] } | { deleted: CustomerChangeMessage };

/** The batch in order, cut at its deletions: runs of creations and updates, and each deletion on its own. */
function runsBetweenDeletions(changes: CustomerChangeMessage[]): Run[] {
  const runs: Run[] = [];
  let current: CustomerChangeMessage[] = [];
  for (const change of changes) {
    if (change.type !== DELETED) {
      current.push(change);
      continue;
    }
    if (current.length > 0) runs.push({ changes: current });
    current = [];
    runs.push({ deleted: change });
  }
  if (current.length > 0) runs.push({ changes: current });
  return runs;
}
