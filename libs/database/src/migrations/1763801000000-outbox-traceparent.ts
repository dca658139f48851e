import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OutboxTraceparent1763801000000 implements MigrationInterface {
  name = 'OutboxTraceparent1763801000000';

  async up(q: QueryRunner): Promise<void> {
    // The trace of the request that made the change: the relay publishes it later, outside that request,
    // as the message's `traceparent` header. Nullable: rows from before, and changes made outside a request.
    await q.query(`ALTER TABLE outbox ADD COLUMN IF NOT EXISTS traceparent text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox DROP COLUMN IF EXISTS traceparent`);
  }
}
