import { newId } from '@app/contracts';
import { Pool } from 'pg';
import { externalIdOf } from '../event-payloads';
import { workerMain } from '../run-worker';
import { type Distribution, distribution } from '../stats';

export interface RawSqlWritesJob {
  databaseUrl: string;
  workspaceId: string;
  topic: string;
  customerPrefix: string;
  customers: number;
  clients: number;
  warmupS: number;
  durationS: number;
}

export interface RawSqlWritesSummary {
  transactionsPerS: number;
  transactions: number;
  /** Every transaction, the warm-up's included. */
  transactionsAll: number;
  latencyMs: Distribution;
  /** This process's CPU time per transaction (warm-up included), in milliseconds. */
  cpuMsPerTransaction: number;
}

interface CustomerRow {
  id: string;
  external_id: string;
  email: string;
  email_verified_at: string | null;
  full_name: string;
  short_name: string | null;
  marked_as_spam_at: string | null;
  marked_as_spam_by: unknown;
  created_at: string;
  created_by: unknown;
  updated_at: string;
  updated_by: unknown;
  version: number;
}

/**
 * The customer-writes baseline: the gateway's PATCH transaction in raw SQL over node-postgres, `clients` at a
 * time — BEGIN, the row locked (SELECT … FOR UPDATE), every column written back (UPDATE), the change message in
 * the outbox (INSERT), the relay woken (NOTIFY), COMMIT — with a change message of the same shape. No HTTP, no
 * framework, no validation: the most a Node process can do with this transaction on this database.
 */
workerMain(async (job: RawSqlWritesJob): Promise<RawSqlWritesSummary> => {
  const pool = new Pool({ connectionString: job.databaseUrl, max: job.clients });
  const actor = { actorType: 'machineUser', machineUserId: 'bench' };
  const start = performance.now();
  const measureFrom = start + job.warmupS * 1000;
  const end = measureFrom + job.durationS * 1000;
  const latencies: number[] = [];
  let total = 0;
  let n = 0;
  const cpuBefore = process.cpuUsage();
  const loop = async () => {
    const client = await pool.connect();
    try {
      while (performance.now() < end) {
        const started = performance.now();
        const externalId = externalIdOf(job.customerPrefix, Math.floor(Math.random() * job.customers));
        await client.query('BEGIN');
        const { rows } = await client.query<CustomerRow>(
          'SELECT * FROM customers WHERE workspace_id = $1 AND external_id = $2 FOR UPDATE',
          [job.workspaceId, externalId],
        );
        const row = rows[0];
        if (!row) throw new Error(`no customer ${externalId}`);
        const now = new Date().toISOString();
        const fullName = `Raw ${process.pid} ${n++}`;
        const version = row.version + 1;
        await client.query(
          `UPDATE customers SET external_id = $3, email = $4, email_verified_at = $5, full_name = $6, short_name = $7,
             marked_as_spam_at = $8, marked_as_spam_by = $9, created_at = $10, created_by = $11, updated_at = $12,
             updated_by = $13, version = $14
           WHERE id = $1 AND workspace_id = $2`,
          [
            row.id,
            job.workspaceId,
            row.external_id,
            row.email,
            row.email_verified_at,
            fullName,
            row.short_name,
            row.marked_as_spam_at,
            row.marked_as_spam_by === null ? null : JSON.stringify(row.marked_as_spam_by),
            row.created_at,
            JSON.stringify(row.created_by),
            now,
            JSON.stringify(actor),
            version,
          ],
        );
        const previous = {
          id: row.id,
          externalId: row.external_id,
          fullName: row.full_name,
          email: row.email,
        };
        const message = {
          id: newId('pEv'),
          type: 'customer.customer_updated',
          workspaceId: job.workspaceId,
          customerId: row.id,
          version,
          customer: { ...previous, fullName, updatedAt: now, updatedBy: actor },
          previousCustomer: previous,
          actor,
          occurredAt: now,
        };
        await client.query(
          'INSERT INTO outbox (event_id, topic, message_key, payload, traceparent) VALUES ($1, $2, $3, $4, $5)',
          [message.id, job.topic, row.id, JSON.stringify(message), null],
        );
        await client.query(`SELECT pg_notify('outbox', '')`);
        await client.query('COMMIT');
        total += 1;
        const finished = performance.now();
        if (finished >= measureFrom && finished <= end) latencies.push(finished - started);
      }
    } finally {
      client.release();
    }
  };
  await Promise.all(Array.from({ length: job.clients }, loop));
  const cpu = process.cpuUsage(cpuBefore);
  await pool.end();
  return {
    transactionsPerS: latencies.length / job.durationS,
    transactions: latencies.length,
    transactionsAll: total,
    latencyMs: distribution(latencies),
    cpuMsPerTransaction: (cpu.user + cpu.system) / 1000 / total,
  };
});
