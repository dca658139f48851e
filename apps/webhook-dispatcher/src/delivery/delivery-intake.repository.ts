import { Injectable } from '@nestjs/common';
import { monotonicFactory } from 'ulid';
import type { EntityManager } from 'typeorm';
import type { CustomerChangeMessage, WorkspaceScope } from '@app/contracts';
import { preparedStatement, queryPrepared } from '@app/database';

const nextUlid = monotonicFactory();

/**
 * Each event × each enabled target of its workspace subscribed to it, registered before the event happened
 * (a new consumer group replaying history must not flood targets created since). A target subscribed to
 * both the event's own type and customer.customer_changed gets one delivery, of the specific type.
 */
const PLAN_DELIVERIES = preparedStatement(
  'webhook_plan_deliveries',
  `SELECT e.id AS event_id, e.workspace_id, e.customer_id, t.id AS target_id,
          CASE WHEN e.type = ANY (t.event_types) THEN e.type ELSE 'customer.customer_changed' END AS event_type
   FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[])
     AS e(id, workspace_id, type, occurred_at, customer_id)
   JOIN webhook_targets t ON t.workspace_id = e.workspace_id AND t.enabled
    AND date_trunc('milliseconds', t.created_at) <= e.occurred_at
   WHERE e.type = ANY (t.event_types)
      OR (e.type IN ('customer.customer_created', 'customer.customer_updated')
          AND 'customer.customer_changed' = ANY (t.event_types))
   ORDER BY e.occurred_at, e.id, t.id`,
);

/**
 * The planned deliveries and the events they carry, in one statement (so atomically, without a transaction of
 * its own): $1–$5 the events, $6–$12 the deliveries. The events' rows are inserted by the statement's first part
 * and checked by the deliveries' foreign key at its end.
 */
const STORE_DELIVERIES = preparedStatement(
  'webhook_store_deliveries',
  `WITH stored AS (
     INSERT INTO webhook_events (id, workspace_id, type, message, occurred_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::timestamptz[])
     ON CONFLICT (id) DO NOTHING
   )
   INSERT INTO webhook_deliveries (id, workspace_id, target_id, event_id, event_type, customer_id, traceparent,
                                   status, next_attempt_at)
   SELECT id, workspace_id, target_id, event_id, event_type, customer_id, traceparent, 'pending', now()
   FROM unnest($6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
     AS d(id, workspace_id, target_id, event_id, event_type, customer_id, traceparent)
   ON CONFLICT (event_id, target_id) DO NOTHING
   RETURNING 1`,
);

interface PlannedDelivery {
  event_id: string;
  customer_id: string;
  workspace_id: string;
  target_id: string;
  event_type: string;
}

/** A consumed change whose workspace has been checked (`inWorkspace`): deliveries go to that workspace's targets. */
export type ScopedChange = CustomerChangeMessage & WorkspaceScope;

/**
 * Turns consumed change events into deliveries in two statements, the plan and the write, idempotently: an event
 * is stored once (only when some target wants it), and (event, target) is unique, so a redelivered batch adds
 * nothing and a batch whose write failed is simply consumed again. A batch mixes workspaces: each change carries its own, and only targets of that
 * workspace get its deliveries.
 */
@Injectable()
export class DeliveryIntakeRepository {
  /**
   * Returns how many deliveries were created. `traceparents` maps an event id to the trace of the change
   * (its Kafka message's `traceparent` header), which every attempt of its deliveries carries on.
   */
  async record(
    em: EntityManager,
    events: ScopedChange[],
    traceparents: ReadonlyMap<string, string> = new Map(),
  ): Promise<number> {
    if (events.length === 0) return 0;
    const planned = await this.plan(em, events);
    if (planned.length === 0) return 0;
    const targeted = new Set(planned.map((p) => p.event_id));
    const stored = events.filter((e) => targeted.has(e.id));
    const inserted = await queryPrepared(em, STORE_DELIVERIES, [
      stored.map((e) => e.id),
      stored.map((e) => e.workspaceId),
      stored.map((e) => e.type),
      stored.map((e) => JSON.stringify(e)),
      stored.map((e) => e.occurredAt),
      planned.map(() => `whDelivery_${nextUlid()}`),
      planned.map((p) => p.workspace_id),
      planned.map((p) => p.target_id),
      planned.map((p) => p.event_id),
      planned.map((p) => p.event_type),
      planned.map((p) => p.customer_id),
      planned.map((p) => traceparents.get(p.event_id) ?? null),
    ]);
    return inserted.length;
  }

  /** The deliveries the events call for (PLAN_DELIVERIES). */
  private plan(em: EntityManager, events: ScopedChange[]): Promise<PlannedDelivery[]> {
    return queryPrepared<PlannedDelivery>(em, PLAN_DELIVERIES, [
      events.map((e) => e.id),
      events.map((e) => e.workspaceId),
      events.map((e) => e.type),
      events.map((e) => e.occurredAt),
      events.map((e) => e.customerId),
    ]);
  }
}
