import { machineUserActor } from '@app/auth';
import { newId, parseWorkspaceId, type WorkspaceId } from '@app/contracts';
import {
  buildCustomerEventMessage,
  contractViolation,
  MAX_PAYLOAD_BYTES,
  payloadTooLarge,
  unstorableEvent,
} from './customer-event.message';

// A stand-in id, compared as text below: no workspace is read.
const auth = { workspaceId: 'w_1' as WorkspaceId, machineUserId: 'mu_1', actor: machineUserActor('mu_1') };

describe(payloadTooLarge.name, () => {
  const event = (payload: Record<string, unknown>) => ({ customerExternalId: 'u', type: 't', payload });
  const overhead = '{"data":""}'.length;

  it('allows a payload of exactly 32 KiB serialised', () => {
    expect(payloadTooLarge(event({ data: 'x'.repeat(MAX_PAYLOAD_BYTES - overhead) }))).toBeUndefined();
  });

  it('refuses a payload one byte over, naming the field', () => {
    const error = payloadTooLarge(event({ data: 'x'.repeat(MAX_PAYLOAD_BYTES - overhead + 1) }));

    expect(error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: [{ field: 'payload' }] });
  });

  it('counts UTF-8 bytes, not characters', () => {
    const twoByteChars = 'é'.repeat((MAX_PAYLOAD_BYTES - overhead + 1) / 2);

    expect(payloadTooLarge(event({ data: twoByteChars }))).toBeDefined();
  });
});

describe(unstorableEvent.name, () => {
  const event = (fields: Record<string, unknown>) => ({
    dto: { customerExternalId: 'user_42', type: 'order.placed', ...fields },
  });

  it('lets an event every consumer can store through', () => {
    expect(unstorableEvent(event({ payload: { total: 149.9, note: 'é 🎉' } }))).toBeUndefined();
    expect(unstorableEvent(event({}))).toBeUndefined();
  });

  it.each([
    [event({ payload: { some: { key: 'a\ud800b' } } }), 'payload.some.key'],
    [event({ payload: { some: { ['a\ud800b']: 1 } } }), 'payload.some.a\ud800b'],
    [event({ payload: { total: Infinity } }), 'payload.total'],
    [event({ payload: { id: 2 ** 53 + 2 } }), 'payload.id'],
    [event({ payload: { note: 'a\u0000' } }), 'payload.note'],
    [event({ customerExternalId: 'user\ud800' }), 'customerExternalId'],
    [event({ customerExternalId: 'user\u0000' }), 'customerExternalId'],
    [{ ...event({}), idempotencyKey: 'k\udfff' }, 'idempotencyKey'],
  ])('refuses %j with a VALIDATION_ERROR naming the field', (request, field) => {
    expect(unstorableEvent(request)).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field }] });
  });
});

describe(buildCustomerEventMessage.name, () => {
  const now = new Date('2026-04-18T10:00:00.123Z');

  it('defaults title to null, payload to {} and occurredAt to the creation time', () => {
    const message = buildCustomerEventMessage(
      auth,
      { customerExternalId: 'user_42', type: 'a.b' },
      'c_1',
      now,
    );

    expect(message).toEqual({
      id: expect.stringMatching(/^cev_[0-9A-HJKMNP-TV-Z]{26}$/),
      workspaceId: 'w_1',
      customerId: 'c_1',
      customerExternalId: 'user_42',
      type: 'a.b',
      title: null,
      payload: {},
      occurredAt: '2026-04-18T10:00:00.123Z',
      createdAt: '2026-04-18T10:00:00.123Z',
    });
  });

  it('normalises occurredAt to UTC with milliseconds', () => {
    const message = buildCustomerEventMessage(
      auth,
      { customerExternalId: 'user_42', type: 'a.b', occurredAt: '2024-02-29T23:30:00-01:00' },
      'c_1',
      now,
    );

    expect(message.occurredAt).toBe('2024-03-01T00:30:00.000Z');
  });
});

describe(contractViolation.name, () => {
  const ids = { workspaceId: parseWorkspaceId(newId('w')), machineUserId: newId('mu') };
  const realAuth = { ...ids, actor: machineUserActor(ids.machineUserId) };
  const build = (dto: { customerExternalId: string; type: string; payload?: Record<string, unknown> }) =>
    buildCustomerEventMessage(realAuth, dto, newId('c'));

  it('passes a message built from a valid body', () => {
    expect(
      contractViolation(build({ customerExternalId: 'user_42', type: 'a.b', payload: { n: 1 } })),
    ).toBeUndefined();
  });

  it("refuses, as the client's field, what the body's rules let through but the topic's contract does not", () => {
    // The body's length rule does not count variation selectors; the contract counts every code point.
    const customerExternalId = 'a\ufe0f'.repeat(200);

    expect(contractViolation(build({ customerExternalId, type: 'a.b' }))).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'customerExternalId' }],
    });
  });
});
