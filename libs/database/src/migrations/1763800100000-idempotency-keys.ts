import type { MigrationInterface, QueryRunner } from 'typeorm';

export class IdempotencyKeys1763800100000 implements MigrationInterface {
  name = 'IdempotencyKeys1763800100000';

  async up(q: QueryRunner): Promise<void> {
    // One row per (workspace, Idempotency-Key) for 24 h. The primary key is the claim: INSERT … ON CONFLICT
    // lets exactly one of two racing requests own a key, without locking anything else. The event (id
    // included) is stored at claim time, so a retry after a crash re-publishes the very same event.
    await q.query(`
      CREATE TABLE idempotency_keys (
        workspace_id  text NOT NULL,
        key           text NOT NULL,
        request_hash  text NOT NULL,
        event_id      text NOT NULL,
        message       jsonb NOT NULL,
        status        text NOT NULL CHECK (status IN ('in_flight', 'completed')),
        attempt       integer NOT NULL DEFAULT 1,
        created_at    timestamptz NOT NULL DEFAULT now(),
        claimed_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, key)
      )`);
    // The periodic purge deletes by age.
    await q.query(`CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS idempotency_keys`);
  }
}
