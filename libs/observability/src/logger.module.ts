import type { IncomingMessage } from 'node:http';
import { type DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule as PinoLoggerModule } from 'nestjs-pino';
import { serializeError } from './error-serializer';
import { type LogLevelFormat, type LogTimeFormat, logFormatOptions } from './log-format';
import { traceLogFields, traceOfRequest } from './tracing';

export interface LoggingOptions {
  service: string;
  level: string;
  logHttpRequests: boolean;
  levelFormat?: LogLevelFormat;
  timeFormat?: LogTimeFormat;
}

/**
 * Paths pino replaces with "[redacted]": API keys, webhook secrets and signatures never reach a log line.
 * Applies to request logs and to any object logged under these names.
 */
export const REDACTED_PATHS = [
  'req.headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'apiKey',
  'secret',
  '*.apiKey',
  '*.secret',
  'headers["x-api-key"]',
  'headers["plain-request-signature"]',
  'headers["webhook-signature"]',
];

function traceIdOf(req: IncomingMessage): { traceId?: string } {
  const trace = traceOfRequest(req);
  return trace ? { traceId: trace.traceId } : {};
}

/** JSON logs on stdout, one line per entry, with the service name on every line. */
@Module({})
export class LoggingModule {
  static forRoot(options: LoggingOptions): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        PinoLoggerModule.forRoot({
          // pino-http's middleware binds a child logger (the request serialised, redacted) to every request:
          // measured, 30 % of the gateway's CPU per ingested event. It runs only when its line is asked for;
          // otherwise lines written while handling a request carry its traceId (the mixin), not `req`.
          forRoutes: options.logHttpRequests ? [{ path: '{*splat}', method: RequestMethod.ALL }] : [],
          pinoHttp: {
            level: options.level,
            base: { service: options.service },
            autoLogging: options.logHttpRequests,
            ...logFormatOptions(options),
            redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
            // traceId on every line written while handling a request, and on the request's own line.
            mixin: traceLogFields,
            customSuccessObject: (req, _res, value: object) => ({ ...value, ...traceIdOf(req) }),
            customErrorObject: (req, _res, _error, value: object) => ({ ...value, ...traceIdOf(req) }),
            serializers: {
              // Database errors carry the statement's parameters and row values: customer data, never logged.
              err: serializeError,
              req: (req: { id: unknown; method: string; url: string }) => ({
                id: req.id,
                method: req.method,
                url: req.url,
              }),
            },
          },
        }),
      ],
    };
  }
}
