import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Timeline payloads as `json`, not `jsonb`: jsonb reorders an object's keys (shortest first), so a payload
 * read back differed from the one sent. `json` keeps the text as written; nothing queries inside payloads
 * but `->>`, which json has too. A rebuild copy left from an interrupted rebuild follows its live table.
 */
export class TimelinePayloadJson1763804000000 implements MigrationInterface {
  name = 'TimelinePayloadJson1763804000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['timeline_items', 'timeline_items_rebuild'])
      await q.query(`ALTER TABLE IF EXISTS ${table} ALTER COLUMN payload TYPE json USING payload::json`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['timeline_items', 'timeline_items_rebuild'])
      await q.query(`ALTER TABLE IF EXISTS ${table} ALTER COLUMN payload TYPE jsonb USING payload::jsonb`);
  }
}
