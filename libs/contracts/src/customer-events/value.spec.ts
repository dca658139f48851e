import { ContractViolationError } from '../contract-violation.error';
import { newId } from '../ids';
import { parseCustomerEventMessage } from './value';

const valid = () => ({
  id: newId('cev'),
  workspaceId: newId('w'),
  customerId: newId('c'),
  customerExternalId: 'user_42',
  type: 'order.placed',
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
  ])('names the field when %s is %p', (field, value) => {
    expect(() => parseCustomerEventMessage(encode({ ...valid(), [field]: value }))).toThrow(
      expect.objectContaining({ path: field }),
    );
  });

  it('refuses a null value (a tombstone record)', () => {
    expect(() => parseCustomerEventMessage(null)).toThrow(ContractViolationError);
  });
});
