import { randomBytes } from 'node:crypto';
import { AppProcess } from '@test/support/app-process';
import { eventually } from '@test/support/eventually';
import { createApiKey, uniqueExternalId } from '@test/support/fixtures';
import { send } from '@test/support/hostile-http';
import { sql } from './gateway-helpers';

/**
 * A database error logged by an app carries no customer data. A CHECK constraint added for this test makes
 * PostgreSQL refuse one customer's row: an unexpected error (500) that the app logs with its cause, a
 * QueryFailedError whose parameters hold the email and name and whose detail quotes the whole row.
 */
describe('hostile input: no customer data in the log of a database error', () => {
  const constraint = `pii_log_probe_${randomBytes(4).toString('hex')}`;
  const marker = `pii-probe-${randomBytes(4).toString('hex')}`;
  let gateway: AppProcess;

  beforeAll(async () => {
    await sql(
      `ALTER TABLE customers ADD CONSTRAINT ${constraint} CHECK (email NOT LIKE '${marker}%') NOT VALID`,
    );
    gateway = await AppProcess.start('gateway');
  });

  afterAll(async () => {
    await gateway?.stop();
    await sql(`ALTER TABLE customers DROP CONSTRAINT IF EXISTS ${constraint}`);
  });

  it('logs the failed statement by parameter position and type, never the email, name or row', async () => {
    const { apiKey } = await createApiKey();
    const email = `${marker}.peter@example.com`;
    const fullName = `Pii Probe ${randomBytes(4).toString('hex')}`;
    const response = await send(gateway.url, 'PUT', `/api/v1/customers/${uniqueExternalId()}`, {
      headers: { 'x-api-key': apiKey },
      json: { email, fullName },
    });
    expect(response.status).toBe(500);
    const reference = /reference (err_\w+)/.exec(response.body.error.message)?.[1];
    expect(reference).toBeDefined();

    const line = await eventually(() => {
      const found = gateway.logs.split('\n').find((l) => l.includes(reference!));
      if (!found) throw new Error(`no log line for ${reference}`);
      return found;
    });
    const { err } = JSON.parse(line);
    // The log still says what failed and where: the statement, the SQLSTATE and the constraint.
    expect(err).toMatchObject({ type: 'QueryFailedError', code: '23514', constraint, detail: '[redacted]' });
    expect(err.query).toMatch(/INSERT INTO customers/);
    expect(err.parameters).toContain('$1: string');
    expect(err.parameters.every((p: string) => /^\$\d+: \w+$/.test(p))).toBe(true);
    const leaks = [email, marker, fullName].filter((value) => gateway.logs.includes(value));
    expect(leaks).toEqual([]);
  });
});
