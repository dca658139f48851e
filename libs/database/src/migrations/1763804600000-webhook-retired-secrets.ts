import type { MigrationInterface, QueryRunner } from 'typeorm';

export class WebhookRetiredSecrets1763804600000 implements MigrationInterface {
  name = 'WebhookRetiredSecrets1763804600000';

  async up(q: QueryRunner): Promise<void> {
    // Every secret rotated out keeps signing until it expires (24 h after its rotation), however many rotations
    // follow: one row per rotated-out secret, sealed like the current one (AES-256-GCM bound to the target id).
    await q.query(`
      CREATE TABLE webhook_target_retired_secrets (
        target_id         text NOT NULL REFERENCES webhook_targets(id) ON DELETE CASCADE,
        secret_encrypted  bytea NOT NULL,
        rotated_at        timestamptz NOT NULL,
        expires_at        timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE INDEX webhook_target_retired_secrets_by_target
        ON webhook_target_retired_secrets (target_id, rotated_at DESC)`);
    await q.query(`
      INSERT INTO webhook_target_retired_secrets (target_id, secret_encrypted, rotated_at, expires_at)
      SELECT id, previous_secret_encrypted, previous_secret_expires_at - interval '24 hours', previous_secret_expires_at
      FROM webhook_targets
      WHERE previous_secret_encrypted IS NOT NULL AND previous_secret_expires_at > now()`);
    await q.query(`
      ALTER TABLE webhook_targets
        DROP COLUMN previous_secret_encrypted,
        DROP COLUMN previous_secret_expires_at`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE webhook_targets
        ADD COLUMN previous_secret_encrypted bytea,
        ADD COLUMN previous_secret_expires_at timestamptz`);
    // Only the most recently rotated-out secret survives a downgrade.
    await q.query(`
      UPDATE webhook_targets t SET
        previous_secret_encrypted = r.secret_encrypted,
        previous_secret_expires_at = r.expires_at
      FROM (SELECT DISTINCT ON (target_id) target_id, secret_encrypted, expires_at
            FROM webhook_target_retired_secrets WHERE expires_at > now()
            ORDER BY target_id, rotated_at DESC) r
      WHERE t.id = r.target_id`);
    await q.query(`DROP TABLE webhook_target_retired_secrets`);
  }
}
