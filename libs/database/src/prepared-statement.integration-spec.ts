import { type DataSource, QueryFailedError } from 'typeorm';
import { assertTestDatabase, openDataSource } from './index';
import { preparedStatement, queryPrepared } from './prepared-statement';
import { sqlStateOf } from './pg-errors';

const ECHO = preparedStatement(
  'spec_echo',
  `SELECT $1::int AS n, $2::timestamptz AS at, $3::jsonb AS doc, u.v
   FROM unnest($4::text[]) AS u(v) ORDER BY u.v`,
);
const FAILS = preparedStatement('spec_fails', `SELECT 1 / $1::int AS n`);
const PREPARED = `SELECT name FROM pg_prepared_statements WHERE name LIKE 'spec\\_%' ORDER BY name`;

describe('queryPrepared against PostgreSQL', () => {
  const url = process.env.DATABASE_URL!;
  const sources: DataSource[] = [];
  const open = async (preparedStatements?: boolean): Promise<DataSource> => {
    const source = await openDataSource({
      url,
      poolSize: 1,
      applicationName: 'prepared-spec',
      preparedStatements,
    });
    sources.push(source);
    return source;
  };
  const values = [7, new Date('2026-01-05T10:00:00.123Z'), JSON.stringify({ a: [1, 'x'] }), ['b', 'a']];

  beforeAll(() => assertTestDatabase(url));
  afterAll(() => Promise.all(sources.map((source) => source.destroy())));

  it('answers the rows TypeORM answers for the same statement and values, types parsed alike', async () => {
    const db = await open();
    const rows = await queryPrepared(db, ECHO, values);
    expect(rows).toEqual(await db.query(ECHO.text, values));
    expect(rows).toEqual([
      { n: 7, at: values[1], doc: { a: [1, 'x'] }, v: 'a' },
      { n: 7, at: values[1], doc: { a: [1, 'x'] }, v: 'b' },
    ]);
  });

  it('prepares the statement once on the connection, by its name, by default', async () => {
    const db = await open();
    await queryPrepared(db, ECHO, values);
    await queryPrepared(db, ECHO, values);
    expect(await db.query(PREPARED)).toEqual([{ name: 'spec_echo' }]);
  });

  it("runs inside the caller's transaction, on its connection", async () => {
    const db = await open();
    await db.query(`CREATE TEMP TABLE IF NOT EXISTS spec_rows (v text)`);
    const insert = preparedStatement('spec_insert', `INSERT INTO spec_rows (v) VALUES ($1) RETURNING v`);
    await expect(
      db.transaction(async (em) => {
        expect(await queryPrepared(em, insert, ['rolled back'])).toEqual([{ v: 'rolled back' }]);
        expect(await em.query(`SELECT v FROM spec_rows`)).toEqual([{ v: 'rolled back' }]);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await db.query(`SELECT v FROM spec_rows`)).toEqual([]);
  });

  it('sends the statement unnamed when DATABASE_PREPARED_STATEMENTS is off', async () => {
    const db = await open(false);
    expect(await queryPrepared(db, ECHO, values)).toHaveLength(2);
    expect(await db.query(PREPARED)).toEqual([]);
  });

  it("fails as TypeORM's query does: a QueryFailedError with the statement, parameters and SQLSTATE", async () => {
    const db = await open();
    const error: unknown = await queryPrepared(db, FAILS, [0]).catch((e: unknown) => e);
    expect(sqlStateOf(error)).toBe('22012');
    // What the log serializer reads from TypeORM's own errors: the statement and its parameters.
    expect(error).toBeInstanceOf(QueryFailedError);
    expect(error).toMatchObject({ query: FAILS.text, parameters: [0], code: '22012' });
    expect(await queryPrepared(db, FAILS, [1])).toEqual([{ n: 1 }]);
  });

  it('refuses two different statements under one name', () => {
    expect(() => preparedStatement('spec_echo', 'SELECT 2')).toThrow(/Two prepared statements/);
    expect(preparedStatement('spec_echo', ECHO.text)).toEqual(ECHO);
  });
});
