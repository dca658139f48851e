import 'reflect-metadata';
import fc from 'fast-check';
import { getMetadataStorage } from 'class-validator';
import { createValidationPipe } from '@app/http';
import {
  anyText,
  badDateTime,
  FUZZ_SEED,
  nonObject,
  nonString,
  unknownKey,
  withKey,
} from '../../../../test/support/hostile-arbitraries';
import { validateBatchItem } from './batch-item.validator';
import { CreateCustomerEventDto } from './dto/create-customer-event.dto';
import { CustomerEventBatchItemDto } from './dto/customer-event-batch-item.dto';
import { CustomerEventBatchDto } from './dto/customer-event-batch.dto';
import { acceptedBatchItems, BATCH_ITEM_FIELDS, EVENT_FIELDS, isAcceptedEvent } from './ingest-body';

const pipe = createValidationPipe();
const asBody = (metatype: new () => unknown) => ({ type: 'body' as const, metatype, data: '' });

const fieldsOf = (dto: new () => unknown) =>
  new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(dto, '', true, false)
      .map((m) => m.propertyName),
  );

/** What the pipe makes of a body: the DTO's own fields, or undefined when it refuses it. */
async function pipeVerdict(body: unknown, metatype: new () => unknown): Promise<unknown> {
  try {
    return { ...(await pipe.transform(body, asBody(metatype))) };
  } catch {
    return undefined;
  }
}

// Each field valid or not, absent or present, one in eight with an unknown field: a third of the bodies are valid.
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 3 });
const validEvent = {
  customerExternalId: fc.oneof(anyText(255, 1), fc.constantFrom('user_42', '\uFE0F', 'ü'.repeat(255))),
  type: fc.stringMatching(/^[a-z0-9_.]{1,100}$/),
  title: fc.oneof(
    fc.constantFrom('Order placed', ' padded ', 'Ünïcödé 🙂'),
    fc.string({ minLength: 1, maxLength: 200 }),
    anyText(200, 1),
  ),
  payload: fc.oneof(
    {
      weight: 5,
      arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }),
    },
    fc.constant({ nested: { constructor: 1 } }),
  ),
  occurredAt: fc.oneof(
    fc
      .date({ min: new Date('0001-01-02'), max: new Date('9999-12-30'), noInvalidDate: true })
      .map((d) => d.toISOString()),
    fc.constantFrom('2026-04-18T10:00:00+02:00', '2026-04-18t10:00:00.123456789z'),
  ),
};
const invalidEvent = {
  customerExternalId: fc.oneof(nonString, fc.constantFrom('', 'x'.repeat(256))),
  type: fc.oneof(nonString, fc.constantFrom('', 'Order Placed', 'a'.repeat(101), 'order-placed')),
  title: fc.oneof(nonString, fc.constantFrom('', '   ', 'line\nbreak', 'x'.repeat(201))),
  payload: fc.oneof(nonObject, fc.constant(null)),
  occurredAt: badDateTime,
};
const field = (name: keyof typeof validEvent) =>
  maybe(fc.oneof({ weight: 4, arbitrary: validEvent[name] }, { weight: 1, arbitrary: invalidEvent[name] }));
const eventBody = (allowed: ReadonlySet<string>, extra: Record<string, fc.Arbitrary<unknown>> = {}) =>
  fc
    .tuple(
      fc.record({
        customerExternalId: fc.oneof(
          { weight: 6, arbitrary: validEvent.customerExternalId },
          invalidEvent.customerExternalId,
          fc.constant(undefined),
        ),
        type: fc.oneof({ weight: 6, arbitrary: validEvent.type }, invalidEvent.type, fc.constant(undefined)),
        title: field('title'),
        payload: field('payload'),
        occurredAt: field('occurredAt'),
        ...extra,
      }),
      fc.oneof(
        { weight: 7, arbitrary: fc.constant(undefined) },
        fc.tuple(unknownKey([...allowed]), fc.jsonValue({ maxDepth: 1 })),
      ),
    )
    .map(([fields, stray]) => {
      const body = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
      return stray ? withKey(body, stray[0], stray[1]) : body;
    });

describe('the ingest routes’ checks of a body as sent', () => {
  it('know the fields of the DTOs, no more and no fewer', () => {
    expect(fieldsOf(CreateCustomerEventDto)).toEqual(new Set(EVENT_FIELDS));
    expect(fieldsOf(CustomerEventBatchItemDto)).toEqual(new Set(BATCH_ITEM_FIELDS));
  });

  it(`accept a single event only when the validation pipe does, with the same fields (seed ${FUZZ_SEED})`, async () => {
    let acceptedByBoth = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ weight: 9, arbitrary: eventBody(EVENT_FIELDS) }, nonObject),
        async (body) => {
          const dto = await pipeVerdict(body, CreateCustomerEventDto);
          if (dto !== undefined) {
            if (isAcceptedEvent(body)) acceptedByBoth++;
            // Whatever the pipe accepts, these checks accept too: the direct path is taken by every valid body.
            expect(isAcceptedEvent(body)).toBe(true);
            expect(dto).toEqual(body);
          } else expect(isAcceptedEvent(body)).toBe(false);
        },
      ),
      { numRuns: 2000, seed: FUZZ_SEED },
    );
    expect(acceptedByBoth).toBeGreaterThan(200);
  });

  it(`accept a batch only when the pipe and the item validator accept the body and every item (seed ${FUZZ_SEED})`, async () => {
    const item = eventBody(BATCH_ITEM_FIELDS, {
      idempotencyKey: maybe(
        fc.oneof(anyText(255, 1), fc.constantFrom('', 'k'.repeat(256)), fc.constant(null), fc.integer()),
      ),
    });
    const batch = fc.oneof(
      { weight: 8, arbitrary: fc.record({ events: fc.array(item, { minLength: 1, maxLength: 3 }) }) },
      fc.record({ events: fc.oneof(fc.constant([]), nonObject) }),
      fc.record({ events: fc.array(item, { minLength: 1, maxLength: 2 }), extra: fc.integer() }),
    );
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(batch, async (body) => {
        const outer = await pipeVerdict(body, CustomerEventBatchDto);
        // The pipe let the body through: `events` is an array of 1 to 1000.
        const events = outer === undefined ? [] : (body.events as unknown[]);
        const validated = await Promise.all(events.map(validateBatchItem));
        const valid = outer !== undefined && validated.every((result) => 'item' in result);
        const items = acceptedBatchItems(body);
        expect(items !== undefined).toBe(valid);
        if (!items) return;
        accepted++;
        expect(validated.map((result) => ('item' in result ? { ...result.item } : result))).toEqual(items);
      }),
      { numRuns: 1000, seed: FUZZ_SEED },
    );
    expect(accepted).toBeGreaterThan(20);
  });
});
