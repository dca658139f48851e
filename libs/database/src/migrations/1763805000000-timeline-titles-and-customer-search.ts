import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What one directory row is searched by: externalId, email, full name and short name, lower-cased, in one
 * string. The search query (the projector's directory repository) repeats it exactly, so PostgreSQL can use the index built on it.
 */
const CUSTOMER_SEARCH_TEXT = `lower(external_id || ' ' || coalesce(customer->'email'->>'email', '') || ' '
  || coalesce(customer->>'fullName', '') || ' ' || coalesce(customer->>'shortName', ''))`;

/**
 * Timeline items gain the optional one-line `title` their producer sent (null for older items and customer
 * changes). The customer directory gains a trigram index for the customer search (substring matches, any
 * case): `pg_trgm` ships with PostgreSQL (contrib). Where it cannot be installed, lower() btree indexes serve
 * prefix matches instead and substring matches scan the workspace's customers. A rebuild copy left from an
 * interrupted rebuild follows its live table; new copies are made `LIKE` the live tables, indexes included.
 */
export class TimelineTitlesAndCustomerSearch1763805000000 implements MigrationInterface {
  name = 'TimelineTitlesAndCustomerSearch1763805000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['timeline_items', 'timeline_items_rebuild'])
      await q.query(`ALTER TABLE IF EXISTS ${table} ADD COLUMN IF NOT EXISTS title text`);
    const available = (await q.query(
      `SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'`,
    )) as unknown[];
    if (available.length > 0) {
      await q.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
      await q.query(`CREATE INDEX IF NOT EXISTS customer_directory_search
        ON customer_directory USING gin ((${CUSTOMER_SEARCH_TEXT}) gin_trgm_ops)`);
    } else {
      await q.query(`CREATE INDEX IF NOT EXISTS customer_directory_search_external_id
        ON customer_directory (workspace_id, lower(external_id) text_pattern_ops)`);
      await q.query(`CREATE INDEX IF NOT EXISTS customer_directory_search_email
        ON customer_directory (workspace_id, lower(customer->'email'->>'email') text_pattern_ops)`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of [
      'customer_directory_search',
      'customer_directory_search_external_id',
      'customer_directory_search_email',
    ])
      await q.query(`DROP INDEX IF EXISTS ${index}`);
    for (const table of ['timeline_items', 'timeline_items_rebuild'])
      await q.query(`ALTER TABLE IF EXISTS ${table} DROP COLUMN IF EXISTS title`);
  }
}
