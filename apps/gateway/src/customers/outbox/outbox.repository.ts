import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { currentTrace, formatTraceparent } from '@app/observability/tracing';

export interface OutboxMessage {
  seq: string;
  eventId: string;
  topic: string;
  key: string;
  payload: unknown;
}

/** The transactional outbox: rows written with the change they describe, published later by the relay. */
@Injectable()
export class OutboxRepository {
  /** In the caller's transaction; the NOTIFY is delivered at commit and wakes the relay. */
  async append(em: EntityManager, message: Omit<OutboxMessage, 'seq'>): Promise<void> {
    // The request's trace travels with the row: the relay publishes it later, outside the request.
    const trace = currentTrace();
    await em.query(
      'INSERT INTO outbox (event_id, topic, message_key, payload, traceparent) VALUES ($1, $2, $3, $4, $5)',
      [
        message.eventId,
        message.topic,
        message.key,
        JSON.stringify(message.payload),
        trace ? formatTraceparent(trace) : null,
      ],
    );
    await em.query(`SELECT pg_notify('outbox', '')`);
  }
}
