import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs a maintenance DELETE whose subquery takes at most `chunk` rows, again and again until a pass deletes
 * fewer: a purge of a large backlog never holds its locks for long. Resolves with the rows deleted in all.
 */
export async function deleteInChunks(
  db: Pick<DataSource | EntityManager, 'query'>,
  sql: string,
  chunk: number,
  parameters: unknown[] = [],
): Promise<number> {
  let total = 0;
  for (;;) {
    const [, count]: [unknown, number] = await db.query(sql, parameters);
    total += count;
    if (count < chunk) return total;
  }
}
