import { Writable } from 'node:stream';
import pino, { stdSerializers } from 'pino';
import { QueryFailedError } from 'typeorm';
import { REDACTED, serializeError } from './error-serializer';

const EMAIL = 'peter.santos@example.com';
const NAME = 'Peter Santos';

/** What node-pg throws for a unique violation, wrapped the way TypeORM wraps it. */
function uniqueViolation(): QueryFailedError {
  const driverError = Object.assign(
    new Error('duplicate key value violates unique constraint "customers_email_unique"'),
    {
      code: '23505',
      detail: `Key (workspace_id, lower(email::text))=(w_01, ${EMAIL}) already exists.`,
      constraint: 'customers_email_unique',
      table: 'customers',
    },
  );
  return new QueryFailedError(
    'INSERT INTO customers (id, email, full_name, created_at) VALUES ($1, $2, $3, $4)',
    ['c_01', EMAIL, NAME, new Date()],
    driverError,
  );
}

/** A log line written by a real pino logger with the serializer, as `serializers` wires it. */
function logged(err: unknown, wrapped = false): string {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  // pino-http (nestjs-pino) wraps a custom serializer: it gets what the standard one made of the error.
  const serializer = wrapped
    ? stdSerializers.wrapErrorSerializer(serializeError as (err: unknown) => Record<string, unknown>)
    : serializeError;
  pino({ serializers: { err: serializer } }, sink).error({ err }, 'Unhandled error');
  return lines.join('');
}

describe(serializeError.name, () => {
  it.each([
    ['called directly', false],
    ['wrapped by pino-http', true],
  ])('logs a query error without its parameter values or the row in its detail (%s)', (_, wrapped) => {
    const line = logged(uniqueViolation(), wrapped);
    expect(line).not.toContain(EMAIL);
    expect(line).not.toContain(NAME);
    const { err } = JSON.parse(line);
    expect(err).toMatchObject({
      type: 'QueryFailedError',
      message: 'duplicate key value violates unique constraint "customers_email_unique"',
      code: '23505',
      constraint: 'customers_email_unique',
      table: 'customers',
      query: expect.stringContaining('INSERT INTO customers'),
      parameters: ['$1: string', '$2: string', '$3: string', '$4: date'],
      detail: REDACTED,
      driverError: { code: '23505', detail: REDACTED },
    });
    expect(err.stack).toContain('QueryFailedError');
  });

  it('blanks the quoted value in the message and stack of a data exception (SQLSTATE class 22)', () => {
    const driverError = Object.assign(new Error(`invalid input syntax for type uuid: "${EMAIL}"`), {
      code: '22P02',
    });
    const line = logged(new QueryFailedError('SELECT $1::uuid', [EMAIL], driverError));
    expect(line).not.toContain(EMAIL);
    expect(JSON.parse(line).err.message).toBe(`invalid input syntax for type uuid: "${REDACTED}"`);
  });

  it('describes named parameters by name, and leaves other errors as pino would log them', () => {
    const named = Object.assign(new Error('failed'), { parameters: { email: EMAIL, age: 42 } });
    expect(JSON.parse(logged(named)).err.parameters).toEqual({ email: 'string', age: 'number' });
    const plain = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(JSON.stringify(serializeError(plain))).toBe(JSON.stringify(stdSerializers.err(plain)));
  });

  it('does not change the error it logs', () => {
    const error = uniqueViolation();
    logged(error);
    expect(error.parameters).toContain(EMAIL);
    expect((error as unknown as { detail: string }).detail).toContain(EMAIL);
  });
});
