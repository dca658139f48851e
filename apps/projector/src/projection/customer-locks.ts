import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { preparedStatement, queryPrepared } from '@app/database';
import { lockBucketOf } from './customer-lock-buckets';
import { READ_MODEL_TABLES, type ReadModelTables } from './read-model-tables';

export interface CustomerLockRequest {
  /** Customers whose timeline items this transaction inserts. */
  insert?: Iterable<string>;
  /** Customers this transaction erases. */
  erase?: Iterable<string>;
}

/** The tables' lock namespace, the buckets in ascending order, whether each is taken exclusively. */
const lockBucketsSql = (namespace: string, buckets: string, exclusive: string) =>
  `SELECT CASE WHEN t.exclusive THEN pg_advisory_xact_lock(${namespace}::int, t.bucket)
               ELSE pg_advisory_xact_lock_shared(${namespace}::int, t.bucket) END
   FROM unnest(${buckets}::int[], ${exclusive}::bool[]) AS t(bucket, exclusive)`;

const LOCK_BUCKETS = preparedStatement('projector_lock_buckets', lockBucketsSql('$1', '$2', '$3'));

/**
 * Closes the race between an events batch and a customer's erasure. They run in different transactions
 * (different topics, maybe different replicas). Under READ COMMITTED an insert whose snapshot predates the
 * tombstone's commit, and an erasure whose DELETE predates the insert's commit, would both succeed and leave
 * orphan items behind the erasure. So both take a per-customer advisory lock, held to commit, before their
 * first statement: inserts a shared one, an erasure an exclusive one. Whoever comes second starts after the
 * other committed and sees its rows: the insert sees the tombstone, the erasure sees the items.
 *
 * Rejected: a sweep after the tombstone commits still misses an insert that commits after the sweep's
 * snapshot; re-checking after the insert has the mirror-image race; SERIALIZABLE would abort whole batches.
 *
 * Customers share LOCK_BUCKETS locks, so a batch of thousands of customers takes at most that many
 * (PostgreSQL's lock table is small). A transaction takes all its locks in one statement, in ascending
 * bucket order, so no two transactions ever wait on each other in a cycle. The price: an erasure briefly
 * holds back inserts for the other customers of its bucket.
 */
@Injectable()
export class CustomerLocks {
  constructor(@Inject(READ_MODEL_TABLES) private readonly tables: ReadModelTables) {}

  /** Call first in the transaction; the locks are released at commit or rollback. */
  async lock(em: EntityManager, request: CustomerLockRequest): Promise<void> {
    const buckets = lockBuckets(request);
    if (buckets.length === 0) return;
    await queryPrepared(em, LOCK_BUCKETS, [
      this.tables.lockNamespace,
      buckets.map((b) => b.bucket),
      buckets.map((b) => b.exclusive),
    ]);
  }

  /**
   * The same locks as one statement with its values inline, to run first in a transaction sent in one round
   * trip (`queryInOneRoundTrip`); undefined when there is nothing to lock.
   */
  lockStatement(request: CustomerLockRequest): string | undefined {
    const buckets = lockBuckets(request);
    if (buckets.length === 0) return undefined;
    return lockBucketsSql(
      String(this.tables.lockNamespace),
      `'{${buckets.map((b) => b.bucket).join(',')}}'`,
      `'{${buckets.map((b) => (b.exclusive ? 't' : 'f')).join(',')}}'`,
    );
  }
}

/** The buckets to lock, in ascending order: unnest yields them in order, so they are locked in that order. */
function lockBuckets(request: CustomerLockRequest): { bucket: number; exclusive: boolean }[] {
  const exclusive = new Map<number, boolean>();
  for (const id of request.insert ?? []) exclusive.set(lockBucketOf(id), false);
  for (const id of request.erase ?? []) exclusive.set(lockBucketOf(id), true);
  return [...exclusive]
    .sort(([a], [b]) => a - b)
    .map(([bucket, isExclusive]) => ({ bucket, exclusive: isExclusive }));
}
