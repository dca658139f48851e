import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Webhooks1763800200000 implements MigrationInterface {
  name = 'Webhooks1763800200000';

  async up(q: QueryRunner): Promise<void> {
    // Signing secrets are stored only encrypted (AES-256-GCM, key from the dispatcher's config), so a dump of
    // this table alone cannot sign. During a rotation the previous secret stays valid until it expires.
    await q.query(`
      CREATE TABLE webhook_targets (
        id                          text PRIMARY KEY,
        workspace_id                text NOT NULL REFERENCES workspaces(id),
        url                         text NOT NULL,
        version                     text NOT NULL,
        event_types                 text[] NOT NULL,
        description                 text,
        enabled                     boolean NOT NULL DEFAULT true,
        disabled_reason             text,
        secret_encrypted            bytea NOT NULL,
        previous_secret_encrypted   bytea,
        previous_secret_expires_at  timestamptz,
        failing_since               timestamptz,
        last_success_at             timestamptz,
        created_at                  timestamptz NOT NULL DEFAULT now(),
        updated_at                  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX webhook_targets_by_workspace ON webhook_targets (workspace_id, id DESC)`);

    // The consumed change event itself, once, so that every attempt of every target is rendered afresh from it.
    await q.query(`
      CREATE TABLE webhook_events (
        id            text PRIMARY KEY,
        workspace_id  text NOT NULL,
        type          text NOT NULL,
        message       jsonb NOT NULL,
        occurred_at   timestamptz NOT NULL,
        received_at   timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE webhook_deliveries (
        id                        text PRIMARY KEY,
        workspace_id              text NOT NULL,
        target_id                 text NOT NULL REFERENCES webhook_targets(id) ON DELETE CASCADE,
        event_id                  text NOT NULL REFERENCES webhook_events(id),
        event_type                text NOT NULL,
        status                    text NOT NULL
          CHECK (status IN ('pending', 'in_progress', 'succeeded', 'failed')),
        attempt_count             integer NOT NULL DEFAULT 0,
        scheduled_attempt_count   integer NOT NULL DEFAULT 0,
        next_attempt_at           timestamptz,
        manual_retry              boolean NOT NULL DEFAULT false,
        resume_at                 timestamptz,
        lease_token               text,
        lease_expires_at          timestamptz,
        last_attempt_at           timestamptz,
        last_status_code          integer,
        last_error                text,
        created_at                timestamptz NOT NULL DEFAULT now(),
        updated_at                timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT webhook_deliveries_event_target_unique UNIQUE (event_id, target_id)
      )`);
    // Workers look for due work per target (fair claiming) and count each target's attempts in flight.
    await q.query(`
      CREATE INDEX webhook_deliveries_due
        ON webhook_deliveries (target_id, next_attempt_at) WHERE status = 'pending'`);
    await q.query(`
      CREATE INDEX webhook_deliveries_in_progress
        ON webhook_deliveries (target_id, lease_expires_at) WHERE status = 'in_progress'`);
    // The delivery log: one target's deliveries, newest first.
    await q.query(`CREATE INDEX webhook_deliveries_by_target ON webhook_deliveries (target_id, id DESC)`);

    await q.query(`
      CREATE TABLE webhook_attempts (
        id               text PRIMARY KEY,
        delivery_id      text NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
        attempt_number   integer NOT NULL,
        manual           boolean NOT NULL,
        target_version   text NOT NULL,
        started_at       timestamptz NOT NULL,
        duration_ms      integer,
        outcome          text,
        status_code      integer,
        error            text,
        response_body    text,
        CONSTRAINT webhook_attempts_number_unique UNIQUE (delivery_id, attempt_number)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['webhook_attempts', 'webhook_deliveries', 'webhook_events', 'webhook_targets']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
