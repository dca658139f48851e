import 'reflect-metadata';
import { IsString } from 'class-validator';
import { createValidationPipe } from '../validation.pipe';
import { IsJsonObject } from './is-json-object';
import { plainToDto, RawJson } from './raw-json';

class EventDto {
  @IsString()
  type!: string;

  @IsJsonObject()
  @RawJson()
  payload!: Record<string, unknown>;
}

class BatchItemDto extends EventDto {}

const metadata = { type: 'body' as const, metatype: EventDto, data: '' };

describe(plainToDto.name, () => {
  const payload = {
    toString: 1,
    valueOf: 'v',
    hasOwnProperty: [1],
    isPrototypeOf: null,
    nested: [{ toString: 2 }],
  };

  it('keeps a @RawJson property exactly as sent, keys named like Object.prototype members included', () => {
    const sut = plainToDto(EventDto, { type: 'a.b', payload });
    expect(sut).toBeInstanceOf(EventDto);
    expect(sut.payload).toEqual(payload);
  });

  it('applies to subclasses (batch items extend the single-event body)', () => {
    expect(plainToDto(BatchItemDto, { type: 'a.b', payload }).payload).toEqual(payload);
  });
});

describe('the global validation pipe', () => {
  const sut = createValidationPipe();

  it('hands the handler the payload as sent', async () => {
    const payload = { toString: 'kept', valueOf: 1, deep: { hasOwnProperty: true } };
    const dto = (await sut.transform({ type: 'a.b', payload }, metadata)) as EventDto;
    expect(dto.payload).toEqual(payload);
  });

  it.each(['valueOf', 'toString', 'hasOwnProperty', '__defineGetter__'])(
    'refuses a top-level field named %s as an unknown field (not silently ignored)',
    async (field) => {
      await expect(sut.transform({ type: 'a.b', payload: {}, [field]: {} }, metadata)).rejects.toMatchObject({
        code: 'VALIDATION_ERROR',
        details: [{ field, message: `unknown field "${field}"` }],
      });
    },
  );

  it.each([
    [{ type: 'a.b', payload: { constructor: 'x' } }, 'payload.constructor'],
    [{ type: 'a.b', payload: { deep: [{ prototype: 1 }] } }, 'payload.deep[0].prototype'],
    [{ type: 'a.b', constructor: 1 }, 'constructor'],
  ])('refuses the reserved key of %j with a 400 naming it, rather than dropping it', async (body, field) => {
    await expect(sut.transform(body, metadata)).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ field }],
    });
  });

  it.each([
    ['in the payload', (deep: unknown) => ({ type: 'a.b', payload: deep }), 'payload'],
    ['in an unknown field', (deep: unknown) => ({ type: 'a.b', extra: deep }), 'extra'],
    ['as the whole body', (deep: unknown) => [deep], ''],
  ])(
    'refuses a value nested 100,000 levels deep %s with a 400, not a stack overflow',
    async (_, body, prefix) => {
      let deep: unknown = {};
      for (let i = 0; i < 100_000; i++) deep = { d: deep };
      const error = (await sut.transform(body(deep), metadata).catch((e: unknown) => e)) as {
        code?: string;
        details?: Array<{ field: string; message: string }>;
      };
      expect(error.code).toBe('VALIDATION_ERROR');
      expect(error.details?.[0].field.startsWith(prefix)).toBe(true);
      expect(error.details?.[0].message).toMatch(/nests deeper than 64 levels/);
    },
  );
});
