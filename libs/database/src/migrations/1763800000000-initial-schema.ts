import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1763800000000 implements MigrationInterface {
  name = 'InitialSchema1763800000000';

  async up(q: QueryRunner): Promise<void> {
    // Tenancy and machine users (API keys). Keys are stored only as SHA-256 of the secret.
    await q.query(`
      CREATE TABLE workspaces (
        id          text PRIMARY KEY,
        name        text NOT NULL UNIQUE,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE api_keys (
        id            text PRIMARY KEY,
        workspace_id  text NOT NULL REFERENCES workspaces(id),
        name          text NOT NULL,
        secret_hash   bytea NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        revoked_at    timestamptz
      )`);
    await q.query(`CREATE INDEX api_keys_workspace ON api_keys (workspace_id)`);

    // Gateway write side: customers and the transactional outbox of their changes.
    await q.query(`
      CREATE TABLE customers (
        id                  text PRIMARY KEY,
        workspace_id        text NOT NULL REFERENCES workspaces(id),
        external_id         text NOT NULL,
        email               text NOT NULL,
        email_verified_at   timestamptz,
        full_name           text NOT NULL,
        short_name          text,
        marked_as_spam_at   timestamptz,
        marked_as_spam_by   jsonb,
        created_at          timestamptz NOT NULL,
        created_by          jsonb NOT NULL,
        updated_at          timestamptz NOT NULL,
        updated_by          jsonb NOT NULL,
        version             integer NOT NULL,
        CONSTRAINT customers_external_id_unique UNIQUE (workspace_id, external_id)
      )`);
    // Emails compare case-insensitively (Peter@x.com and peter@x.com are one person).
    await q.query(`CREATE UNIQUE INDEX customers_email_unique ON customers (workspace_id, lower(email))`);
    await q.query(`
      CREATE TABLE outbox (
        seq           bigserial PRIMARY KEY,
        event_id      text NOT NULL UNIQUE,
        topic         text NOT NULL,
        message_key   text NOT NULL,
        payload       jsonb NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        published_at  timestamptz
      )`);
    // The relay scans only what is left to publish; published rows are purged later.
    await q.query(`CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL`);

    // Projector read models.
    await q.query(`
      CREATE TABLE timeline_items (
        id            text PRIMARY KEY,
        workspace_id  text NOT NULL,
        customer_id   text NOT NULL,
        type          text NOT NULL,
        payload       jsonb NOT NULL,
        occurred_at   timestamptz NOT NULL,
        created_at    timestamptz NOT NULL
      )`);
    // Serves the timeline query exactly: one customer, newest occurredAt first, ties by id.
    await q.query(`
      CREATE INDEX timeline_items_by_customer
        ON timeline_items (workspace_id, customer_id, occurred_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE customer_directory (
        customer_id   text PRIMARY KEY,
        workspace_id  text NOT NULL,
        external_id   text NOT NULL,
        customer      jsonb NOT NULL,
        version       integer NOT NULL,
        updated_at    timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT customer_directory_external_id_unique UNIQUE (workspace_id, external_id)
      )`);
    // A deleted customer's id, so events still in flight after the delete do not resurrect its timeline.
    await q.query(`
      CREATE TABLE customer_tombstones (
        customer_id   text PRIMARY KEY,
        workspace_id  text NOT NULL,
        version       integer NOT NULL,
        deleted_at    timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'customer_tombstones',
      'customer_directory',
      'timeline_items',
      'outbox',
      'customers',
      'api_keys',
      'workspaces',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
