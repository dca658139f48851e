import { isConnectionError, isDataError } from './pg-errors';

/** A pg DatabaseError as the driver raises it: a message and a SQLSTATE code. */
function pgError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe(isConnectionError.name, () => {
  it.each([
    [
      'the server shutting down a session',
      pgError('57P01', 'terminating connection due to administrator command'),
    ],
    ['a crash of another server process', pgError('57P02', 'terminating connection because of crash')],
    ['the server starting up', pgError('57P03', 'the database system is starting up')],
    ['a connection exception', pgError('08006', 'connection failure')],
    [
      'a database closed to connections (ALLOW_CONNECTIONS false)',
      pgError('55000', 'database "sd_x_test" is not currently accepting connections'),
    ],
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    [
      'the next statement of a transaction whose session was cut',
      new Error('Client has encountered a connection error and is not queryable'),
    ],
    ['a statement on a client being closed', new Error('Client was closed and is not queryable')],
  ])('is true for %s: the client may retry', (_, error) => expect(isConnectionError(error)).toBe(true));

  it.each([
    ['another object_not_in_prerequisite_state error', pgError('55000', 'cannot do this now')],
    ['a unique violation', pgError('23505', 'duplicate key value violates unique constraint')],
    ['a syntax error (a bug)', pgError('42601', 'syntax error at or near "x"')],
    ['something that is not an error', 'boom'],
  ])('is false for %s', (_, error) => expect(isConnectionError(error)).toBe(false));
});

describe(isDataError.name, () => {
  it('tells bad data (classes 22 and 23) from everything else', () => {
    expect(isDataError(pgError('22P05', 'unsupported Unicode escape sequence'))).toBe(true);
    expect(isDataError(pgError('23503', 'foreign key violation'))).toBe(true);
    expect(isDataError(pgError('57P01', 'terminating connection'))).toBe(false);
  });
});
