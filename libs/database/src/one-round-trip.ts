import type { QueryResult, QueryResultRow } from 'pg';
import { type DataSource, QueryFailedError } from 'typeorm';
import { poolOf } from './prepared-statement';

/**
 * `text` as a dollar-quoted SQL string literal (`$q$…$q$`), with a tag that does not occur in it. For a value
 * that must go inline in a statement, such as a batch's JSON document in a multi-statement query (which takes
 * no parameters); nothing in the text is escaped or interpreted, whatever it holds.
 */
export function dollarQuoted(text: string): string {
  let tag = '$q$';
  for (let n = 0; text.includes(tag); n++) tag = `$q${n}$`;
  return `${tag}${text}${tag}`;
}

/**
 * Runs `statements` as one transaction in one round trip: they are sent together as one simple query, which
 * PostgreSQL runs as one implicit transaction (each statement with its own snapshot under READ COMMITTED, as in
 * an explicit one), committed after the last one and rolled back whole when one fails, so the connection goes
 * back to the pool outside any transaction either way. A transaction of N statements opened with BEGIN costs
 * N + 2 round trips, and on this path each costs a socket write and a wake-up in both processes.
 *
 * The statements take no parameters: values go inline, numbers checked as such and text dollar-quoted
 * (`dollarQuoted`). Resolves with each statement's rows, in order; a failure is TypeORM's QueryFailedError, naming
 * the statements as `shownAs` (their text with placeholders: the inline values are data, kept out of the logs).
 */
export async function queryInOneRoundTrip<T extends QueryResultRow = QueryResultRow>(
  db: DataSource,
  statements: string[],
  shownAs: string,
): Promise<T[][]> {
  const text = statements.join(';\n');
  try {
    const results = (await poolOf(db).query<T>(text)) as QueryResult<T> | QueryResult<T>[];
    return Array.isArray(results) ? results.map((r) => r.rows) : [results.rows];
  } catch (error) {
    throw new QueryFailedError(shownAs, [], error as Error);
  }
}
