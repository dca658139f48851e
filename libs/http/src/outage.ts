import { isConnectionError } from '@app/database/pg-errors';
import { BrokerUnavailableError } from '@app/kafka/broker-unavailable.error';
import { ServiceUnavailableError } from './domain-errors';

/**
 * The one definition of an outage: PostgreSQL unreachable, restarting or closed to connections, or Kafka not
 * acknowledging in time. Never the caller's fault and never a bug: the client is told to retry (503).
 */
export function isOutageError(error: unknown): boolean {
  return error instanceof BrokerUnavailableError || isConnectionError(error);
}

/** The 503 an outage becomes (Retry-After included), or undefined for any other error. */
export function outageAsServiceUnavailable(error: unknown): ServiceUnavailableError | undefined {
  if (error instanceof ServiceUnavailableError) return error;
  if (error instanceof BrokerUnavailableError) {
    return new ServiceUnavailableError('Kafka is unavailable; the event was not accepted, retry later');
  }
  if (isConnectionError(error))
    return new ServiceUnavailableError('The database is unavailable; retry later');
  return undefined;
}
