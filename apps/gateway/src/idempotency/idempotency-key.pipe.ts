import { createParamDecorator, type ExecutionContext, Injectable, type PipeTransform } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ValidationError } from '@app/http';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** A valid Idempotency-Key header: 1–255 characters. */
export function isIdempotencyKey(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= MAX_IDEMPOTENCY_KEY_LENGTH;
}

/** The optional Idempotency-Key header: absent, or 1–255 characters. */
@Injectable()
export class IdempotencyKeyPipe implements PipeTransform<unknown, string | undefined> {
  transform(value: unknown): string | undefined {
    if (value === undefined) return undefined;
    if (!isIdempotencyKey(value)) {
      throw ValidationError.field(
        IDEMPOTENCY_KEY_HEADER,
        `must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`,
      );
    }
    return value;
  }
}

const idempotencyKeyHeader = createParamDecorator((_: unknown, context: ExecutionContext): unknown => {
  return context.switchToHttp().getRequest<FastifyRequest>().headers['idempotency-key'];
});

/** `@IdempotencyKey() key?: string`: the validated Idempotency-Key header. */
export const IdempotencyKey = (): ParameterDecorator => idempotencyKeyHeader(IdempotencyKeyPipe);
