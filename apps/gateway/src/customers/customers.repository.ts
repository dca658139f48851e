import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor, Customer, WorkspaceId } from '@app/contracts';
import type { CustomerRecord } from './customer-record';
import { preparedStatement, queryPrepared } from '@app/database';
import { type OutboxEntry, outboxValues, withOutboxEntry } from './outbox/outbox.repository';

interface CustomerRow {
  id: string;
  workspace_id: WorkspaceId;
  external_id: string;
  email: string;
  email_verified_at: Date | null;
  full_name: string;
  short_name: string | null;
  marked_as_spam_at: Date | null;
  marked_as_spam_by: Actor | null;
  created_at: Date;
  created_by: Actor;
  updated_at: Date;
  updated_by: Actor;
  version: number;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

function toRecord(row: CustomerRow): CustomerRecord {
  const customer: Customer = {
    id: row.id,
    externalId: row.external_id,
    email: {
      email: row.email,
      isVerified: row.email_verified_at !== null,
      verifiedAt: iso(row.email_verified_at),
    },
    fullName: row.full_name,
    shortName: row.short_name,
    markedAsSpamAt: iso(row.marked_as_spam_at),
    markedAsSpamBy: row.marked_as_spam_by,
    customerGroupMemberships: [],
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    updatedAt: row.updated_at.toISOString(),
    updatedBy: row.updated_by,
  };
  return { workspaceId: row.workspace_id, customer, version: row.version };
}

const UPDATE_SQL = `UPDATE customers SET external_id = $3, email = $4, email_verified_at = $5, full_name = $6,
    short_name = $7, marked_as_spam_at = $8, marked_as_spam_by = $9, created_at = $10, created_by = $11,
    updated_at = $12, updated_by = $13, version = $14
  WHERE id = $1 AND workspace_id = $2`;

const FIND = preparedStatement(
  'customer_find',
  'SELECT * FROM customers WHERE workspace_id = $1 AND external_id = $2',
);
const FIND_FOR_UPDATE = preparedStatement(
  'customer_find_for_update',
  'SELECT * FROM customers WHERE workspace_id = $1 AND external_id = $2 FOR UPDATE',
);
const INSERT = preparedStatement(
  'customer_insert',
  `INSERT INTO customers (id, workspace_id, external_id, email, email_verified_at, full_name, short_name,
     marked_as_spam_at, marked_as_spam_by, created_at, created_by, updated_at, updated_by, version)
   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
);
const UPDATE = preparedStatement('customer_update', UPDATE_SQL);
/** UPDATE_SQL's 14 values, then the version the record was made from, then the outbox entry's. */
const UPDATE_OVER_PREVIOUS_VERSION = withOutboxEntry(
  'customer_update_over_previous_version',
  `${UPDATE_SQL} AND version = $15`,
  15,
);

function columns(record: CustomerRecord): unknown[] {
  const c = record.customer;
  return [
    c.id,
    record.workspaceId,
    c.externalId,
    c.email.email,
    c.email.verifiedAt,
    c.fullName,
    c.shortName,
    c.markedAsSpamAt,
    c.markedAsSpamBy === null ? null : JSON.stringify(c.markedAsSpamBy),
    c.createdAt,
    JSON.stringify(c.createdBy),
    c.updatedAt,
    JSON.stringify(c.updatedBy),
    record.version,
  ];
}

/**
 * Every method takes the workspace (a `WorkspaceId`, or a record carrying one) first after the caller's
 * transaction (its EntityManager): no query can forget the tenant.
 */
@Injectable()
export class CustomersRepository {
  async find(
    em: EntityManager,
    workspaceId: WorkspaceId,
    externalId: string,
  ): Promise<CustomerRecord | undefined> {
    const rows = await queryPrepared<CustomerRow>(em, FIND, [workspaceId, externalId]);
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  /** Locks the row until the transaction ends, so concurrent changes to one customer apply one after another. */
  async findForUpdate(
    em: EntityManager,
    workspaceId: WorkspaceId,
    externalId: string,
  ): Promise<CustomerRecord | undefined> {
    const rows = await queryPrepared<CustomerRow>(em, FIND_FOR_UPDATE, [workspaceId, externalId]);
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  /** externalId → customerId for those of `externalIds` that exist, in one query. */
  async findIdsByExternalIds(
    em: EntityManager,
    workspaceId: WorkspaceId,
    externalIds: string[],
  ): Promise<Map<string, string>> {
    const rows: Array<{ id: string; external_id: string }> = await em.query(
      'SELECT id, external_id FROM customers WHERE workspace_id = $1 AND external_id = ANY($2::text[])',
      [workspaceId, externalIds],
    );
    return new Map(rows.map((row) => [row.external_id, row.id]));
  }

  async insert(em: EntityManager, record: CustomerRecord): Promise<void> {
    await queryPrepared(em, INSERT, columns(record));
  }

  async update(em: EntityManager, record: CustomerRecord): Promise<void> {
    await queryPrepared(em, UPDATE, columns(record));
  }

  /**
   * Writes `record` and its change event (the outbox entry) in one statement, applied only over the version the
   * record was made from (`record.version - 1`). False when another change won meanwhile: nothing was written.
   */
  async updateOverPreviousVersion(
    em: EntityManager,
    record: CustomerRecord,
    event: OutboxEntry,
  ): Promise<boolean> {
    const rows = await queryPrepared(em, UPDATE_OVER_PREVIOUS_VERSION, [
      ...columns(record),
      record.version - 1,
      ...outboxValues(event),
    ]);
    return rows.length > 0;
  }

  async delete(em: EntityManager, workspaceId: WorkspaceId, customerId: string): Promise<void> {
    await em.query('DELETE FROM customers WHERE workspace_id = $1 AND id = $2', [workspaceId, customerId]);
  }
}
