import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ulid } from 'ulid';
import { isNulCharacterError } from '@app/database/pg-errors';
import { DomainError, type ErrorDetail } from './domain-errors';
import { errorEnvelope, type ErrorEnvelope } from './envelope';
import { outageAsServiceUnavailable } from './outage';
import { type ErrorCode, httpStatusOf } from './error-codes';

interface Mapped {
  code: ErrorCode;
  message: string;
  details: ErrorDetail[];
  headers: Record<string, string>;
}

/** What any error becomes on the wire: the status (from the code), extra headers and the envelope. */
export interface ErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: ErrorEnvelope;
}

export function codeForStatus(status: number): ErrorCode {
  if (status === 400) return 'VALIDATION_ERROR';
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404 || status === 405) return 'NOT_FOUND';
  if (status === 408) return 'REQUEST_TIMEOUT';
  if (status === 409) return 'CONFLICT';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 414) return 'URI_TOO_LONG';
  if (status === 415) return 'UNSUPPORTED_MEDIA_TYPE';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 431) return 'HEADERS_TOO_LARGE';
  if (status === 503) return 'SERVICE_UNAVAILABLE';
  // Any other 4xx a framework raises is still the client's fault: never reported as a bug.
  if (status >= 400 && status < 500) return 'VALIDATION_ERROR';
  return 'INTERNAL_ERROR';
}

const INVALID_JSON = 'The request body is not valid JSON';

/** Fastify's own errors whose message would say too little (or too much) to a client, by Fastify code. */
const FASTIFY_MESSAGES: Record<string, { field: string; message: string }> = {
  FST_ERR_BAD_URL: { field: 'url', message: 'The URL is not valid (malformed percent-encoding)' },
  FST_ERR_MAX_PARAM_LENGTH: { field: 'url', message: 'A path parameter is longer than 1024 characters' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    field: 'Content-Length',
    message: 'The Content-Length header does not match the body',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { field: 'body', message: INVALID_JSON },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    field: 'Content-Type',
    message: 'The request body must be application/json',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { field: 'body', message: 'The request body is larger than the 1 MiB limit' },
};

const FRAMEWORK_MESSAGES: Partial<Record<ErrorCode, string>> = {
  FORBIDDEN: 'This API key may not do this',
  NOT_FOUND: 'The requested resource does not exist',
  PAYLOAD_TOO_LARGE: 'The request body is larger than the 1 MiB limit',
  UNSUPPORTED_MEDIA_TYPE: 'The request body must be application/json',
};

/** Errors raised by Fastify itself (routing, body parsing, limits, content type), with or without Nest. */
function fastifyError(error: unknown): Mapped | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  const isFastify = typeof code === 'string' && code.startsWith('FST_');
  const isJsonSyntax = error instanceof SyntaxError && statusCode === 400;
  if (!isFastify && !isJsonSyntax) return undefined;
  const status = typeof statusCode === 'number' ? statusCode : 400;
  const mappedCode = codeForStatus(status);
  const known = typeof code === 'string' ? FASTIFY_MESSAGES[code] : undefined;
  const fallback = status === 400 ? INVALID_JSON : FRAMEWORK_MESSAGES[mappedCode];
  const message = known?.message ?? fallback ?? (error as Error).message;
  const details = mappedCode === 'VALIDATION_ERROR' ? [{ field: known?.field ?? 'body', message }] : [];
  return { code: mappedCode, message, details, headers: {} };
}

/** Framework-raised HTTP errors (unknown route, a guard refusing, body parsing done before any handler). */
function httpException(error: HttpException): Mapped {
  const code = codeForStatus(error.getStatus());
  if (code === 'VALIDATION_ERROR') {
    const message = /JSON/i.test(error.message) ? INVALID_JSON : error.message;
    return { code, message, details: [{ field: 'body', message }], headers: {} };
  }
  return { code, message: FRAMEWORK_MESSAGES[code] ?? error.message, details: [], headers: {} };
}

const logger = new Logger('ExceptionsFilter');

function map(thrown: unknown): Mapped {
  // Storage and broker outages become a 503 here, wherever they were raised: no call site maps them.
  const exception = outageAsServiceUnavailable(thrown) ?? thrown;
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
  if (exception instanceof HttpException && (exception.getStatus() < 500 || exception.getStatus() === 503)) {
    return httpException(exception);
  }
  // A bug: log the cause with an id the client can quote, show neither stack nor message.
  const errorId = `err_${ulid()}`;
  logger.error({ err: exception, errorId }, 'Unhandled error');
  return {
    code: 'INTERNAL_ERROR',
    message: `An internal error occurred (reference ${errorId})`,
    details: [],
    headers: {},
  };
}

/** The one mapping from anything thrown to what the client gets; used by the filter and by Fastify's hooks. */
export function errorResponseOf(exception: unknown): ErrorResponse {
  const mapped = map(exception);
  return {
    status: httpStatusOf(mapped.code),
    headers: mapped.headers,
    body: errorEnvelope(mapped.code, mapped.message, mapped.details),
  };
}

/** Sends an error on a Fastify reply, for errors Fastify raises where no Nest filter runs. */
export function sendError(reply: FastifyReply, exception: unknown): void {
  const { status, headers, body } = errorResponseOf(exception);
  void reply.headers(headers).status(status).send(body);
}

/** The one filter: domain errors, framework errors and bugs all leave as the error envelope. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, headers, body } = errorResponseOf(exception);
    for (const [name, value] of Object.entries(headers)) void reply.header(name, value);
    void reply.status(status).send(body);
  }
}
