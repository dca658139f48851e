import type { MigrationInterface, QueryRunner } from 'typeorm';

export class WebhookDeliveryDetails1763804500000 implements MigrationInterface {
  name = 'WebhookDeliveryDetails1763804500000';

  async up(q: QueryRunner): Promise<void> {
    // The trace of the change that caused the delivery: every attempt sends it on as `traceparent` (a child
    // span each). The customer, copied from the event, lets the workspace-wide log filter by customer.
    await q.query(`ALTER TABLE webhook_deliveries ADD COLUMN IF NOT EXISTS traceparent text`);
    await q.query(`ALTER TABLE webhook_deliveries ADD COLUMN IF NOT EXISTS customer_id text`);
    await q.query(`
      UPDATE webhook_deliveries d SET customer_id = e.message->>'customerId'
      FROM webhook_events e WHERE e.id = d.event_id AND d.customer_id IS NULL`);
    // What each attempt sent (signatures masked, body bounded) and the receiver's response headers.
    await q.query(`ALTER TABLE webhook_attempts ADD COLUMN IF NOT EXISTS request_headers jsonb`);
    await q.query(`ALTER TABLE webhook_attempts ADD COLUMN IF NOT EXISTS request_body text`);
    await q.query(`ALTER TABLE webhook_attempts ADD COLUMN IF NOT EXISTS response_headers jsonb`);
    // The workspace-wide delivery log, newest first, optionally for one customer.
    await q.query(`
      CREATE INDEX IF NOT EXISTS webhook_deliveries_by_workspace ON webhook_deliveries (workspace_id, id DESC)`);
    await q.query(`
      CREATE INDEX IF NOT EXISTS webhook_deliveries_by_customer
        ON webhook_deliveries (workspace_id, customer_id, id DESC)`);
    // A target's failed deliveries since a time (recover), and its attempts of the last 24 hours (stats).
    await q.query(`
      CREATE INDEX IF NOT EXISTS webhook_deliveries_failed
        ON webhook_deliveries (target_id, created_at) WHERE status = 'failed'`);
    await q.query(`
      CREATE INDEX IF NOT EXISTS webhook_deliveries_recent_attempts
        ON webhook_deliveries (target_id, last_attempt_at) WHERE last_attempt_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of [
      'webhook_deliveries_recent_attempts',
      'webhook_deliveries_failed',
      'webhook_deliveries_by_customer',
      'webhook_deliveries_by_workspace',
    ]) {
      await q.query(`DROP INDEX IF EXISTS ${index}`);
    }
    for (const column of ['response_headers', 'request_body', 'request_headers']) {
      await q.query(`ALTER TABLE webhook_attempts DROP COLUMN IF EXISTS ${column}`);
    }
    await q.query(`ALTER TABLE webhook_deliveries DROP COLUMN IF EXISTS customer_id`);
    await q.query(`ALTER TABLE webhook_deliveries DROP COLUMN IF EXISTS traceparent`);
  }
}
