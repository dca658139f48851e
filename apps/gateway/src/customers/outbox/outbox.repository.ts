import { Injectable } from '@nestjs/common';
import type { Client } from 'pg';
import type { EntityManager } from 'typeorm';
import type { TopicName } from '@app/contracts';
import { currentTrace, formatTraceparent } from '@app/observability/tracing';

/** A message to publish later, written with the change it describes. */
export interface OutboxEntry {
  eventId: string;
  topic: TopicName;
  key: string;
  payload: unknown;
}

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
  /** In the caller's transaction; the NOTIFY is delivered at commit and wakes the relay. */
  async append(em: EntityManager, entry: OutboxEntry): Promise<void> {
    // The request's trace travels with the row: the relay publishes it later, outside the request.
    const trace = currentTrace();
    await em.query(
      'INSERT INTO outbox (event_id, topic, message_key, payload, traceparent) VALUES ($1, $2, $3, $4, $5)',
      [
        entry.eventId,
        entry.topic,
        entry.key,
        JSON.stringify(entry.payload),
        trace ? formatTraceparent(trace) : null,
      ],
    );
    await em.query(`SELECT pg_notify('outbox', '')`);
  }

  /** The oldest unpublished messages, in commit order. */
  async unpublishedAcrossWorkspaces(session: Client, limit: number): Promise<OutboxMessage[]> {
    const { rows } = await session.query<OutboxMessage>(
      `SELECT seq, event_id AS "eventId", topic, message_key AS key, payload, traceparent
         FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1`,
      [limit],
    );
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
