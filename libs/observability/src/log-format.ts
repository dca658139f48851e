import { type LoggerOptions, stdTimeFunctions } from 'pino';

export const LOG_LEVEL_FORMATS = ['number', 'label'] as const;
export const LOG_TIME_FORMATS = ['epoch', 'iso'] as const;
export type LogLevelFormat = (typeof LOG_LEVEL_FORMATS)[number];
export type LogTimeFormat = (typeof LOG_TIME_FORMATS)[number];

/**
 * pino writes `"level":30` and `"time":<epoch ms>` by default; `label` gives `"level":"info"` and `iso` gives
 * `"time":"2026-01-05T10:00:00.000Z"`, for log stores that do not map pino's numbers.
 */
export function logFormatOptions(options: {
  levelFormat?: LogLevelFormat;
  timeFormat?: LogTimeFormat;
}): Pick<LoggerOptions, 'formatters' | 'timestamp'> {
  return {
    ...(options.levelFormat === 'label'
      ? { formatters: { level: (label: string) => ({ level: label }) } }
      : {}),
    ...(options.timeFormat === 'iso' ? { timestamp: stdTimeFunctions.isoTime } : {}),
  };
}
