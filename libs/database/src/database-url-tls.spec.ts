import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'pg-connection-string';
import { dataSourceOptions } from './data-source';

/**
 * PostgreSQL over TLS is configured in DATABASE_URL alone: the URL goes unchanged to node-postgres, whose
 * connection-string parser turns sslmode/sslrootcert into the TLS options below.
 */
describe('DATABASE_URL with TLS', () => {
  const ca = join(mkdtempSync(join(tmpdir(), 'pg-tls-')), 'ca.pem');
  writeFileSync(ca, 'CA PEM');

  it('reaches node-postgres unchanged', () => {
    const url = `postgres://app@db.internal:5432/supportdesk?sslmode=verify-full&sslrootcert=${ca}`;
    expect(dataSourceOptions({ url, poolSize: 1, applicationName: 'x' })).toMatchObject({ url });
  });

  it('sslmode=verify-full with sslrootcert verifies the server against that CA', () => {
    const options = parse(`postgres://app@db.internal/supportdesk?sslmode=verify-full&sslrootcert=${ca}`);
    expect(options.ssl).toEqual({ ca: 'CA PEM' });
  });

  it('sslmode=require encrypts and (node-postgres 8) verifies against the system CAs', () => {
    const options = parse('postgres://app@db.internal/supportdesk?sslmode=require');
    expect(options.ssl).toEqual({});
    expect(options.ssl).not.toHaveProperty('rejectUnauthorized');
  });

  it('sslmode=no-verify encrypts without checking the certificate', () => {
    expect(parse('postgres://app@db.internal/supportdesk?sslmode=no-verify').ssl).toEqual({
      rejectUnauthorized: false,
    });
  });

  it('sslmode=disable is plaintext', () => {
    expect(parse('postgres://app@db.internal/supportdesk?sslmode=disable').ssl).toBe(false);
  });
});
