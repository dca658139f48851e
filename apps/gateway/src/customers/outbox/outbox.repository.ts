import { Injectable } from '@nestjs/common';
import type { Client } from 'pg';
import type { EntityManager } from 'typeorm';
import type { TopicName } from '@app/contracts';
import { preparedStatement, queryPrepared, type PreparedStatement } from '@app/database';
import { currentTrace, formatTraceparent } from '@app/observability/tracing';

/** A message to publish later, written with the change it describes. */
export interface OutboxEntry {
  eventId: string;
  topic: TopicName;
  key: string;
  payload: unknown;
}

const APPEND_COLUMNS = 'INSERT INTO outbox (event_id, topic, message_key, payload, traceparent)';

/** The entry's five values, the request's trace included: the relay publishes it later, outside the request. */
export function outboxValues(entry: OutboxEntry): unknown[] {
  const trace = currentTrace();
  return [
    entry.eventId,
    entry.topic,
    entry.key,
    JSON.stringify(entry.payload),
    trace ? formatTraceparent(trace) : null,
  ];
}

/**
 * A row change (a statement changing one row, no RETURNING of its own, taking `changeParams` parameters) and its
 * outbox entry as one statement, so one transaction of its own: the entry is written (and the relay woken) only
 * if the change changed a row; the statement then returns one row. Its values: the change's, then
 * `outboxValues(entry)`.
 */
export function withOutboxEntry(name: string, changeSql: string, changeParams: number): PreparedStatement {
  const placeholders = [1, 2, 3, 4, 5].map((i) => `$${changeParams + i}`).join(', ');
  return preparedStatement(
    name,
    `WITH changed AS (${changeSql} RETURNING 1),
      appended AS (${APPEND_COLUMNS} SELECT ${placeholders} FROM changed RETURNING 1)
      SELECT pg_notify('outbox', '') FROM appended`,
  );
}

const APPEND = preparedStatement(
  'outbox_append',
  `WITH appended AS (${APPEND_COLUMNS} VALUES ($1, $2, $3, $4, $5) RETURNING 1)
   SELECT pg_notify('outbox', '') FROM appended`,
);

/** An entry as the relay reads it back: its place in commit order, and the trace of the request that wrote it. */
export interface OutboxMessage extends OutboxEntry {
  seq: string;
  traceparent: string | null;
}

/**
 * The transactional outbox: rows written with the change they describe, published later by the relay. The
 * outbox is one queue for every workspace (each message names its own): appending needs no workspace, and the
 * relay's reads are `…AcrossWorkspaces`, on the relay's own session (it holds the relay lock and LISTENs).
 */
@Injectable()
export class OutboxRepository {
  /**
   * In the caller's transaction, one statement: the row, and a NOTIFY (delivered at commit) that wakes the relay.
   */
  async append(em: EntityManager, entry: OutboxEntry): Promise<void> {
    await queryPrepared(em, APPEND, outboxValues(entry));
  }

  /**
   * Marks `published` (the batch the relay has just published) and reads the oldest unpublished messages after
   * them, in commit order: one round trip per batch. The read shares the statement's snapshot, in which
   * `published` is not marked yet, so they are left out by their seq. Always a prepared statement: the relay's
   * session holds a session lock and LISTENs, so it is a direct connection even behind a pooler.
   */
  async markPublishedAndReadNextAcrossWorkspaces(
    session: Client,
    published: OutboxMessage[],
    limit: number,
  ): Promise<OutboxMessage[]> {
    const { rows } = await session.query<OutboxMessage>({
      name: 'outbox_mark_and_read_next',
      text: `WITH marked AS (UPDATE outbox SET published_at = now() WHERE seq = ANY($1::bigint[]))
        SELECT seq, event_id AS "eventId", topic, message_key AS key, payload, traceparent
        FROM outbox WHERE published_at IS NULL AND NOT (seq = ANY($1::bigint[])) ORDER BY seq LIMIT $2`,
      values: [published.map((m) => m.seq), limit],
    });
    return rows;
  }

  async markPublishedAcrossWorkspaces(session: Client, messages: OutboxMessage[]): Promise<void> {
    await session.query('UPDATE outbox SET published_at = now() WHERE seq = ANY($1::bigint[])', [
      messages.map((m) => m.seq),
    ]);
  }

  async countUnpublishedAcrossWorkspaces(session: Client): Promise<number> {
    const { rows } = await session.query<{ n: string }>(
      'SELECT count(*) AS n FROM outbox WHERE published_at IS NULL',
    );
    return Number(rows[0].n);
  }

  async purgePublishedAcrossWorkspaces(session: Client): Promise<void> {
    await session.query(`DELETE FROM outbox WHERE published_at < now() - interval '1 day'`);
  }
}
