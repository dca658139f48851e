/** The parsed WEBHOOK_RETRY_SCHEDULE: one delay in milliseconds per retry. */
export const RETRY_SCHEDULE = Symbol('RETRY_SCHEDULE');
