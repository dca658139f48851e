import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { type ErrorCode, httpStatusOf } from '../error-codes';
import { ErrorEnvelopeSchema } from './error-envelope.schema';

const TIMESTAMP = { type: 'string', format: 'date-time', example: '2026-04-18T10:00:00.000Z' } as const;

/** `{ success: true, data, timestamp }` around `data`'s schema. */
function envelopeOf(data: SchemaObject | { $ref: string }): SchemaObject {
  return {
    type: 'object',
    required: ['success', 'data', 'timestamp'],
    properties: { success: { type: 'boolean', example: true }, data, timestamp: TIMESTAMP },
  };
}

/** A success answer: the model wrapped in `{ success: true, data, timestamp }`. */
export function ApiEnvelope(status: number, model: Type, description: string): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(model),
    ApiResponse({ status, description, schema: envelopeOf({ $ref: getSchemaPath(model) }) }),
  );
}

/** A page of a keyset-paginated list: `data` is `{ items: [model…], nextCursor, hasMore }`. */
export function ApiPageEnvelope(status: number, model: Type, description: string): MethodDecorator {
  const page: SchemaObject = {
    type: 'object',
    required: ['items', 'nextCursor', 'hasMore'],
    properties: {
      items: { type: 'array', items: { $ref: getSchemaPath(model) } },
      nextCursor: {
        type: 'string',
        nullable: true,
        description: 'Pass as `cursor` for the next page; null on the last page',
      },
      hasMore: { type: 'boolean' },
    },
  };
  return applyDecorators(
    ApiExtraModels(model),
    ApiResponse({ status, description, schema: envelopeOf(page) }),
  );
}

/** The error answers a route can give, grouped by HTTP status, each with its error codes named. */
export function ApiErrors(codes: Partial<Record<ErrorCode, string>>): MethodDecorator {
  const byStatus = new Map<number, string[]>();
  for (const [code, when] of Object.entries(codes)) {
    const status = httpStatusOf(code as ErrorCode);
    byStatus.set(status, [...(byStatus.get(status) ?? []), `\`${code}\`: ${when}`]);
  }
  return applyDecorators(
    ApiExtraModels(ErrorEnvelopeSchema),
    ...[...byStatus].map(([status, lines]) =>
      ApiResponse({ status, description: lines.join('; '), type: ErrorEnvelopeSchema }),
    ),
  );
}

/** A success answer of a route: its status, the model `data` holds, and what it is. */
export type ApiAnswer = [status: number, model: Type, description: string];

export interface ApiRouteOptions {
  /** The method name a generated client gives the route. */
  operationId: string;
  summary: string;
  description?: string;
  /** The success answers, in the envelope: one or more (a PUT that creates or updates answers 201 or 200). */
  ok?: ApiAnswer | ApiAnswer[];
  /** The success answer of a list: a page of the model (`{ items, nextCursor, hasMore }` in the envelope). */
  page?: ApiAnswer;
  /** The error answers, by code (see ApiErrors). */
  errors: Partial<Record<ErrorCode, string>>;
}

/**
 * The OpenAPI of one route in one decorator: its operation, its success answers in the envelope, its errors.
 *
 *   @Get()
 *   @ApiRoute({ operationId: 'getThing', summary: 'Read a thing', ok: [200, ThingResponse, 'The thing'], errors })
 */
export function ApiRoute(options: ApiRouteOptions): MethodDecorator {
  const { operationId, summary, description, ok = [], page, errors } = options;
  const answers = ok.length > 0 && !Array.isArray(ok[0]) ? [ok as ApiAnswer] : (ok as ApiAnswer[]);
  const stacked = [
    ApiOperation({ operationId, summary, ...(description === undefined ? {} : { description }) }),
    ...answers.map((answer) => ApiEnvelope(...answer)),
    ...(page ? [ApiPageEnvelope(...page)] : []),
    ApiErrors(errors),
  ];
  // Applied bottom-up, as the same decorators stacked on the method would be.
  return applyDecorators(...stacked.reverse());
}

/** Errors every authenticated route can give. */
export const COMMON_ERRORS: Partial<Record<ErrorCode, string>> = {
  VALIDATION_ERROR: 'a path or query parameter, or a body field, is missing, malformed, unknown or too long',
  UNAUTHORIZED: 'no X-API-Key, or an unknown or revoked one',
  SERVICE_UNAVAILABLE: 'Kafka or PostgreSQL is unreachable; nothing was accepted, retry later',
};

/** Errors of the routes that take a request body (POST, PUT, PATCH), on top of COMMON_ERRORS. */
export const BODY_ERRORS: Partial<Record<ErrorCode, string>> = {
  VALIDATION_ERROR: 'a field is missing, malformed, unknown or too long, or the body is not valid JSON',
  PAYLOAD_TOO_LARGE: 'the body is over 1 MiB',
  UNSUPPORTED_MEDIA_TYPE:
    'the body is not application/json, or is sent with a Content-Encoding other than identity',
};
