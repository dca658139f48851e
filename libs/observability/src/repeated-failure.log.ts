import type { LoggerService } from '@nestjs/common';

/** One minute: the window in which identical failures after the first are only counted. */
export const REPEATED_FAILURE_WINDOW_MS = 60_000;

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * For a failure that repeats on every request while a dependency is down (the broker, the database): the first
 * one is logged in full, stack trace included; identical ones (same message, same error) within the window are
 * only counted, and one line "<message> (repeated)" with the count closes the window. Under load this turns
 * thousands of identical lines a minute into two.
 */
export class RepeatedFailureLog {
  private readonly windows = new Map<string, { count: number; timer: NodeJS.Timeout; close: () => void }>();

  constructor(
    private readonly logger: Pick<LoggerService, 'warn'>,
    private readonly windowMs = REPEATED_FAILURE_WINDOW_MS,
  ) {}

  warn(fields: { err?: unknown } & Record<string, unknown>, message: string): void {
    const error = describe(fields.err);
    const key = `${message}\u0000${error}`;
    const open = this.windows.get(key);
    if (open) {
      open.count++;
      return;
    }
    this.logger.warn(fields, message);
    const close = () => {
      const window = this.windows.get(key);
      if (!window) return;
      clearTimeout(window.timer);
      this.windows.delete(key);
      if (window.count > 0) {
        this.logger.warn({ repeated: window.count, windowMs: this.windowMs, error }, `${message} (repeated)`);
      }
    };
    const timer = setTimeout(close, this.windowMs);
    timer.unref();
    this.windows.set(key, { count: 0, timer, close });
  }

  /** Reports what the open windows counted so far (on shutdown). */
  flush(): void {
    for (const window of [...this.windows.values()]) window.close();
  }
}
