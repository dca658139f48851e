import type { MigrationInterface, QueryRunner } from 'typeorm';

export class WebhookRetention1763803000000 implements MigrationInterface {
  name = 'WebhookRetention1763803000000';

  async up(q: QueryRunner): Promise<void> {
    // The retention purge finds finished deliveries by when they finished, and events by when they came.
    await q.query(`
      CREATE INDEX IF NOT EXISTS webhook_deliveries_finished
        ON webhook_deliveries (updated_at) WHERE status IN ('succeeded', 'failed')`);
    await q.query(`CREATE INDEX IF NOT EXISTS webhook_events_received ON webhook_events (received_at)`);
    // (Whether a delivery still refers to an event is answered by the unique (event_id, target_id) index.)
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS webhook_events_received`);
    await q.query(`DROP INDEX IF EXISTS webhook_deliveries_finished`);
  }
}
