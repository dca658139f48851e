import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ulid } from 'ulid';
import { isNulCharacterError } from '@app/database/pg-errors';
import { DomainError, type ErrorDetail } from './domain-errors';
import { errorEnvelope } from './envelope';
import { type ErrorCode, httpStatusOf } from './error-codes';

interface Mapped {
  code: ErrorCode;
  message: string;
  details: ErrorDetail[];
  headers: Record<string, string>;
}

function codeForStatus(status: number): ErrorCode {
  if (status === 400) return 'VALIDATION_ERROR';
  if (status === 401 || status === 403) return 'UNAUTHORIZED';
  if (status === 404 || status === 405) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 415) return 'UNSUPPORTED_MEDIA_TYPE';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 503) return 'SERVICE_UNAVAILABLE';
  return 'INTERNAL_ERROR';
}

/** Errors raised by Fastify itself before a handler runs (body parsing, limits, content type). */
function fastifyError(error: unknown): Mapped | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  const isFastify = typeof code === 'string' && code.startsWith('FST_');
  const isJsonSyntax = error instanceof SyntaxError && statusCode === 400;
  if (!isFastify && !isJsonSyntax) return undefined;
  const status = typeof statusCode === 'number' ? statusCode : 400;
  const mappedCode = codeForStatus(status);
  const messages: Partial<Record<ErrorCode, string>> = {
    VALIDATION_ERROR: 'The request body is not valid JSON',
    PAYLOAD_TOO_LARGE: 'The request body is larger than the 1 MiB limit',
    UNSUPPORTED_MEDIA_TYPE: 'The request body must be application/json',
  };
  const message = messages[mappedCode] ?? (error as Error).message;
  const details = mappedCode === 'VALIDATION_ERROR' ? [{ field: 'body', message }] : [];
  return { code: mappedCode, message, details, headers: {} };
}

const FRAMEWORK_MESSAGES: Partial<Record<ErrorCode, string>> = {
  NOT_FOUND: 'The requested resource does not exist',
  PAYLOAD_TOO_LARGE: 'The request body is larger than the 1 MiB limit',
  UNSUPPORTED_MEDIA_TYPE: 'The request body must be application/json',
};

/** Framework-raised HTTP errors (unknown route, body parsing done by Nest/Fastify before any handler). */
function httpException(error: HttpException): Mapped {
  const code = codeForStatus(error.getStatus());
  if (code === 'VALIDATION_ERROR') {
    const message = /JSON/i.test(error.message) ? 'The request body is not valid JSON' : error.message;
    return { code, message, details: [{ field: 'body', message }], headers: {} };
  }
  return { code, message: FRAMEWORK_MESSAGES[code] ?? error.message, details: [], headers: {} };
}

/** The one filter: domain errors, framework errors and bugs all leave as the error envelope. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ExceptionsFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const mapped = this.map(exception);
    const status = httpStatusOf(mapped.code);
    for (const [name, value] of Object.entries(mapped.headers)) void reply.header(name, value);
    void reply.status(status).send(errorEnvelope(mapped.code, mapped.message, mapped.details));
  }

  private map(exception: unknown): Mapped {
    if (exception instanceof DomainError) {
      return {
        code: exception.code,
        message: exception.message,
        details: exception.details,
        headers: exception.headers,
      };
    }
    const fromFastify = fastifyError(exception);
    if (fromFastify) return fromFastify;
    if (isNulCharacterError(exception)) {
      // Any text field of any request (path, query or body) that reaches the database: a 400, not a 500.
      const message = 'A text value contains the NUL character (U+0000), which cannot be stored';
      return { code: 'VALIDATION_ERROR', message, details: [{ field: 'request', message }], headers: {} };
    }
    // A framework 503 (a failed readiness check) is an outage to report as such, not a bug.
    if (
      exception instanceof HttpException &&
      (exception.getStatus() < 500 || exception.getStatus() === 503)
    ) {
      return httpException(exception);
    }
    // A bug: log the cause with an id the client can quote, show neither stack nor message.
    const errorId = `err_${ulid()}`;
    this.logger.error({ err: exception, errorId }, 'Unhandled error');
    return {
      code: 'INTERNAL_ERROR',
      message: `An internal error occurred (reference ${errorId})`,
      details: [],
      headers: {},
    };
  }
}
