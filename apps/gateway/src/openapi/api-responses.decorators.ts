import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { type ErrorCode, httpStatusOf } from '@app/http';
import { ErrorEnvelopeSchema } from './error-envelope.schema';

/** A success answer: the model wrapped in `{ success: true, data, timestamp }`. */
export function ApiEnvelope(status: number, model: Type, description: string): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(model),
    ApiResponse({
      status,
      description,
      schema: {
        type: 'object',
        required: ['success', 'data', 'timestamp'],
        properties: {
          success: { type: 'boolean', example: true },
          data: { $ref: getSchemaPath(model) },
          timestamp: { type: 'string', format: 'date-time', example: '2026-04-18T10:00:00.000Z' },
        },
      },
    }),
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

/** Errors every authenticated route can give. */
export const COMMON_ERRORS: Partial<Record<ErrorCode, string>> = {
  VALIDATION_ERROR: 'a field is missing, malformed, unknown or too long, or the body is not valid JSON',
  UNAUTHORIZED: 'no X-API-Key, or an unknown or revoked one',
  PAYLOAD_TOO_LARGE: 'the body is over 1 MiB',
  UNSUPPORTED_MEDIA_TYPE:
    'the body is not application/json, or is sent with a Content-Encoding other than identity',
  SERVICE_UNAVAILABLE: 'Kafka or PostgreSQL is unreachable; nothing was accepted, retry later',
};
