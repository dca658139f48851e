import { type DataSource, QueryFailedError } from 'typeorm';
import { randomBytes } from 'node:crypto';
import { assertTestDatabase, openDataSource } from './index';
import { dollarQuoted, queryInOneRoundTrip } from './one-round-trip';
import { sqlStateOf } from './pg-errors';

describe('queryInOneRoundTrip against PostgreSQL', () => {
  const url = process.env.DATABASE_URL!;
  const table = `spec_one_round_trip_${randomBytes(6).toString('hex')}`;
  let db: DataSource;

  beforeAll(async () => {
    assertTestDatabase(url);
    // One connection: what a failed transaction leaves behind would be seen by the next query.
    db = await openDataSource({ url, poolSize: 1, applicationName: 'one-round-trip-spec' });
    await db.query(`CREATE TABLE ${table} (n int NOT NULL)`);
  });

  afterAll(async () => {
    await db.query(`DROP TABLE IF EXISTS ${table}`);
    await db.destroy();
  });

  const rowsOf = async () =>
    (await db.query<{ n: number }[]>(`SELECT n FROM ${table} ORDER BY n`)).map((r) => r.n);

  it("answers each statement's rows, in order; a statement sees what the ones before it wrote", async () => {
    const results = await queryInOneRoundTrip(
      db,
      [
        `INSERT INTO ${table} (n) VALUES (1), (2) RETURNING n`,
        `SELECT count(*)::int AS seen FROM ${table}`,
        `UPDATE ${table} SET n = n * 10 WHERE n = 2`,
      ],
      'three statements',
    );
    expect(results).toEqual([[{ n: 1 }, { n: 2 }], [{ seen: 2 }], []]);
    expect(await rowsOf()).toEqual([1, 20]);
    await db.query(`DELETE FROM ${table}`);
  });

  it('answers a single statement as a list of one', async () => {
    expect(await queryInOneRoundTrip(db, ['SELECT 7 AS n'], 'one statement')).toEqual([[{ n: 7 }]]);
  });

  it('rolls back every statement when one fails, and leaves the connection outside any transaction', async () => {
    const failure = await queryInOneRoundTrip(
      db,
      [`INSERT INTO ${table} (n) VALUES (3)`, 'SELECT 1 / 0', `INSERT INTO ${table} (n) VALUES (4)`],
      'insert; divide; insert',
    ).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(QueryFailedError);
    expect(sqlStateOf(failure)).toBe('22012');
    // The error names the statements as the caller showed them, not their text with its inline data.
    expect((failure as QueryFailedError).query).toBe('insert; divide; insert');
    expect(await rowsOf()).toEqual([]);
    // The pool's only connection: a transaction left open (or aborted) would answer this differently.
    expect(
      await db.query(
        'SELECT pg_current_xact_id_if_assigned() AS xid, now() = statement_timestamp() AS fresh',
      ),
    ).toEqual([{ xid: null, fresh: true }]);
    await queryInOneRoundTrip(db, [`INSERT INTO ${table} (n) VALUES (5)`], 'insert');
    expect(await rowsOf()).toEqual([5]);
    await db.query(`DELETE FROM ${table}`);
  });

  it('holds a transaction-level lock taken by one statement until the last one has run', async () => {
    const key = Math.floor(Math.random() * 1_000_000);
    const [, [held]] = await queryInOneRoundTrip<{ held: boolean }>(
      db,
      [
        `SELECT pg_advisory_xact_lock(${key})`,
        `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = ${key}
                          AND pid = pg_backend_pid() AND granted) AS held`,
      ],
      'lock; check',
    );
    expect(held).toEqual({ held: true });
    const [[after]] = await queryInOneRoundTrip<{ held: boolean }>(
      db,
      [`SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = ${key}) AS held`],
      'check',
    );
    expect(after).toEqual({ held: false });
  });
});

describe('dollarQuoted', () => {
  const url = process.env.DATABASE_URL!;
  let db: DataSource;

  beforeAll(async () => {
    assertTestDatabase(url);
    db = await openDataSource({ url, poolSize: 1, applicationName: 'dollar-quoted-spec' });
  });

  afterAll(() => db.destroy());

  it.each([
    ['plain text', 'hello'],
    ['quotes and backslashes', `it's "quoted" \\ and \\' and ''`],
    ['statement terminators and comments', `'); DROP TABLE x; -- /* */`],
    ['the default tag', 'before $q$ after'],
    ['the default tag and the next ones', '$q$ $q0$ $q1$ $$ $'],
    [
      'a JSON document with escapes',
      JSON.stringify({ a: 'line\nbreak \u0001 \u2028 ünïcödé 😀', b: ['$q$'] }),
    ],
    ['an empty text', ''],
  ])('is read back by PostgreSQL as the same text: %s', async (_, text) => {
    const [{ t }] = await db.query<{ t: string }[]>(`SELECT ${dollarQuoted(text)}::text AS t`);
    expect(t).toBe(text);
  });

  it('picks a tag that does not occur in the text', () => {
    expect(dollarQuoted('a')).toBe('$q$a$q$');
    expect(dollarQuoted('$q$')).toBe('$q0$$q$$q0$');
    expect(dollarQuoted('$q$ $q0$')).toBe('$q1$$q$ $q0$$q1$');
  });
});
