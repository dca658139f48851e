import { isConnectionError, sqlStateOf } from '@app/database';

/**
 * PostgreSQL unreachable, restarting, or the database closed to connections (`ALLOW_CONNECTIONS false`
 * answers 55000 at connect time, which the shared helper does not list).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (isConnectionError(error)) return true;
  const message = error instanceof Error ? error.message : '';
  return sqlStateOf(error) === '55000' && /not currently accepting connections/.test(message);
}
