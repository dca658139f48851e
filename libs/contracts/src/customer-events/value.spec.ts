import { ContractViolationError } from '../contract-violation.error';
import { newId } from '../ids';
import { parseCustomerEventMessage } from './value';

const valid = () => ({
  id: newId('cev'),
  workspaceId: newId('w'),
  customerId: newId('c'),
  customerExternalId: 'user_42',
  type: 'order.placed',
  title: 'Order ord_9001 placed',
  payload: { orderId: 'ord_9001' },
  occurredAt: '2026-04-18T10:00:00.000Z',
  createdAt: '2026-04-18T10:00:01.000Z',
});

const encode = (value: unknown) => Buffer.from(JSON.stringify(value));

describe(parseCustomerEventMessage.name, () => {
  it('returns the message when every field matches the contract', () => {
    const message = valid();
    expect(parseCustomerEventMessage(encode(message))).toEqual(message);
  });

  it('reads a message without a title (written before titles existed) as title null', () => {
    const { title: _title, ...older } = valid();
    expect(parseCustomerEventMessage(encode(older))).toEqual({ ...older, title: null });
  });

  it('reads a null title as null', () => {
    expect(parseCustomerEventMessage(encode({ ...valid(), title: null })).title).toBeNull();
  });

  it.each([
    ['random bytes', Buffer.from([0xde, 0xad, 0xbe, 0xef])],
    ['an empty value', Buffer.alloc(0)],
    ['a JSON array', encode([1])],
  ])('refuses %s', (_, raw) => expect(() => parseCustomerEventMessage(raw)).toThrow(ContractViolationError));

  it.each([
    ['id', 'not-an-id'],
    ['id', newId('pEv')],
    ['workspaceId', 'w_1'],
    ['customerId', newId('w')],
    ['type', 'Order Placed'],
    ['payload', [1, 2]],
    ['occurredAt', 'yesterday'],
    ['occurredAt', '+010000-01-01T00:59:59.000Z'],
    ['occurredAt', '0000-06-15T00:00:00.000Z'],
    ['customerExternalId', 'user\ud800'],
    ['customerExternalId', 'user\u0000'],
    ['title', ''],
    ['title', 'a'.repeat(201)],
    ['title', 'two\nlines'],
    ['title', 'a\ud800'],
    ['title', 42],
  ])('names the field when %s is %p', (field, value) => {
    expect(() => parseCustomerEventMessage(encode({ ...valid(), [field]: value }))).toThrow(
      expect.objectContaining({ path: field }),
    );
  });

  it.each([
    [{ some: { key: 'a\ud800b' } }, 'payload.some.key'],
    [{ ['k\udc00']: 1 }, 'payload.k\udc00'],
    [{ note: 'a\u0000b' }, 'payload.note'],
    [{ id: Number('9007199254740993') }, 'payload.id'],
  ])("applies the gateway's storable rule to the payload: refuses %j naming %s", (payload, path) => {
    expect(() => parseCustomerEventMessage(encode({ ...valid(), payload }))).toThrow(
      expect.objectContaining({ path }),
    );
  });

  it('refuses a payload number that overflowed to Infinity (sent as 1e400)', () => {
    const raw = Buffer.from(
      JSON.stringify({ ...valid(), payload: {} }).replace('"payload":{}', '"payload":{"n":1e400}'),
    );
    expect(() => parseCustomerEventMessage(raw)).toThrow(expect.objectContaining({ path: 'payload.n' }));
  });

  it('refuses a null value (a tombstone record)', () => {
    expect(() => parseCustomerEventMessage(null)).toThrow(ContractViolationError);
  });
});
