import { Client } from 'pg';
import { databaseNameOf } from './data-source';

/** Creates the database named in `url` when it does not exist (connecting to the `postgres` database). */
export function ensureDatabase(url: string): Promise<boolean> {
  return onServerOf(url, async (client, quotedName) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [databaseNameOf(url)]);
    if (found.rowCount) return false;
    await client.query(`CREATE DATABASE ${quotedName}`);
    return true;
  });
}

export function dropDatabase(url: string): Promise<void> {
  return onServerOf(url, async (client, quotedName) => {
    await client.query(`DROP DATABASE IF EXISTS ${quotedName} WITH (FORCE)`);
  });
}

/** Runs `work` connected to the `postgres` database of `url`'s server, with `url`'s database name quoted. */
async function onServerOf<T>(
  url: string,
  work: (client: Client, quotedName: string) => Promise<T>,
): Promise<T> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    return await work(client, `"${databaseNameOf(url).replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/** Integration tests may only touch a database whose name ends in `_test`. */
export function assertTestDatabase(url: string): void {
  const name = databaseNameOf(url);
  if (!name.endsWith('_test')) {
    throw new Error(`Refusing to run tests against database "${name}": its name must end in _test`);
  }
}
