import { BrokerUnavailableError } from '@app/kafka/broker-unavailable.error';
import { errorResponseOf } from './all-exceptions.filter';
import { isOutageError } from './outage';

function pgError(code: string, message = 'pg error'): Error {
  return Object.assign(new Error(message), { code });
}

describe('outages in the exception filter', () => {
  it.each([
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ],
    ['a terminated connection', new Error('Connection terminated unexpectedly')],
    [
      'a session that died mid-transaction',
      new Error('Client has encountered a connection error and is not queryable'),
    ],
    [
      'an administrator shutdown (57P01)',
      pgError('57P01', 'terminating connection due to administrator command'),
    ],
    [
      'a database closed to connections (55000)',
      pgError('55000', 'database "x" is not currently accepting connections'),
    ],
    [
      'a TypeORM-wrapped connection failure',
      Object.assign(new Error('query failed'), { driverError: { code: '08006' } }),
    ],
  ])('answers %s with 503 SERVICE_UNAVAILABLE and Retry-After', (_, error) => {
    expect(isOutageError(error)).toBe(true);
    const response = errorResponseOf(error);
    expect(response.status).toBe(503);
    expect(response.headers).toEqual({ 'Retry-After': '1' });
    expect(response.body.error).toEqual({
      code: 'SERVICE_UNAVAILABLE',
      message: 'The database is unavailable; retry later',
      details: [],
    });
  });

  it('answers a broker that did not acknowledge with 503 and says nothing was accepted', () => {
    const error = new BrokerUnavailableError(new Error('Request timed out'));
    expect(isOutageError(error)).toBe(true);
    const response = errorResponseOf(error);
    expect(response.status).toBe(503);
    expect(response.headers).toEqual({ 'Retry-After': '1' });
    expect(response.body.error.code).toBe('SERVICE_UNAVAILABLE');
    expect(response.body.error.message).toBe('Kafka is unavailable; the event was not accepted, retry later');
  });

  it('does not take bad data or a bug for an outage', () => {
    for (const error of [
      pgError('23505', 'duplicate key'),
      pgError('55000', 'object in use'),
      new TypeError('x'),
    ]) {
      expect(isOutageError(error)).toBe(false);
      expect(errorResponseOf(error).status).toBe(500);
    }
  });
});
