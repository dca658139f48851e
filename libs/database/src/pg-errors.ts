/** PostgreSQL SQLSTATE helpers, for telling bad data (permanent) from an outage (retry). */
export function sqlStateOf(error: unknown): string | undefined {
  const code =
    (error as { code?: unknown; driverError?: { code?: unknown } })?.driverError?.code ??
    (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (sqlStateOf(error) !== '23505') return false;
  if (!constraint) return true;
  const detail = error as { constraint?: string; driverError?: { constraint?: string } };
  return (detail.driverError?.constraint ?? detail.constraint) === constraint;
}

/** Class 22 (data exception) and 23 (integrity): the same row fails the same way on every retry. */
export function isDataError(error: unknown): boolean {
  const state = sqlStateOf(error);
  return state !== undefined && (state.startsWith('22') || state.startsWith('23'));
}

/**
 * A text value holding U+0000, which PostgreSQL cannot store (22021): the client's input, never an outage or
 * a bug of ours, since every other JavaScript string encodes to valid UTF-8.
 */
export function isNulCharacterError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return sqlStateOf(error) === '22021' && /0x00/.test(message);
}

/**
 * Connection-level failures: PostgreSQL is down or restarting, or the database is closed to connections
 * (`ALLOW_CONNECTIONS false` during maintenance answers 55000 at connect time): retry later, not a bug.
 */
export function isConnectionError(error: unknown): boolean {
  const state = sqlStateOf(error);
  const message = error instanceof Error ? error.message : '';
  if (state?.startsWith('08') || state === '57P01' || state === '57P02' || state === '57P03') return true;
  if (state === '55000' && /not currently accepting connections/.test(message)) return true;
  const code = (error as { code?: unknown })?.code;
  return (
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    // node-pg's own words for a session that died under it: the statement after the cut (for instance the
    // next one of a transaction) is refused with "… and is not queryable" rather than a SQLSTATE.
    /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|is not queryable/i.test(
      message,
    )
  );
}
