import { ContractViolationError } from '../contract-violation.error';
import type { Customer } from '../customer';
import { newId } from '../ids';
import { parseCustomerChangeMessage } from './value';

const customerId = newId('c');
const customer = (fullName: string): Customer => ({
  id: customerId,
  externalId: 'user_42',
  email: { email: 'peter@example.com', isVerified: false, verifiedAt: null },
  fullName,
  shortName: null,
  markedAsSpamAt: null,
  markedAsSpamBy: null,
  customerGroupMemberships: [],
  createdAt: '2026-04-18T10:00:00.000Z',
  createdBy: { actorType: 'machineUser', machineUserId: newId('mu') },
  updatedAt: '2026-04-18T10:00:00.000Z',
  updatedBy: { actorType: 'machineUser', machineUserId: newId('mu') },
});

const change = (overrides: Record<string, unknown> = {}) => ({
  id: newId('pEv'),
  type: 'customer.customer_updated',
  workspaceId: newId('w'),
  customerId,
  version: 2,
  customer: customer('Peter Santos'),
  previousCustomer: customer('Peter'),
  actor: { actorType: 'machineUser', machineUserId: newId('mu') },
  occurredAt: '2026-04-18T10:00:00.000Z',
  ...overrides,
});

const encode = (value: unknown) => Buffer.from(JSON.stringify(value));

describe(parseCustomerChangeMessage.name, () => {
  it('accepts an update with both states', () => {
    expect(parseCustomerChangeMessage(encode(change())).customer?.fullName).toBe('Peter Santos');
  });

  it('requires previousCustomer to be null on create and customer to be null on delete', () => {
    expect(() => parseCustomerChangeMessage(encode(change({ type: 'customer.customer_created' })))).toThrow(
      expect.objectContaining({ path: 'previousCustomer' }),
    );
    expect(() => parseCustomerChangeMessage(encode(change({ type: 'customer.customer_deleted' })))).toThrow(
      expect.objectContaining({ path: 'customer' }),
    );
    expect(
      parseCustomerChangeMessage(encode(change({ type: 'customer.customer_deleted', customer: null }))).type,
    ).toBe('customer.customer_deleted');
  });

  it('refuses an unknown type, a version below 1 and a customer whose id differs from the key', () => {
    expect(() => parseCustomerChangeMessage(encode(change({ type: 'customer.renamed' })))).toThrow(
      expect.objectContaining({ path: 'type' }),
    );
    expect(() => parseCustomerChangeMessage(encode(change({ version: 0 })))).toThrow(
      expect.objectContaining({ path: 'version' }),
    );
    expect(() => parseCustomerChangeMessage(encode(change({ customerId: newId('c') })))).toThrow(
      expect.objectContaining({ path: 'customer.id' }),
    );
  });

  it.each([
    ['customer.email', { customer: { ...customer('Peter Santos'), email: 'peter@example.com' } }],
    [
      'customer.email.email',
      {
        customer: { ...customer('Peter Santos'), email: { email: 42, isVerified: false, verifiedAt: null } },
      },
    ],
    ['customer.fullName', { customer: { ...customer('Peter\u0000Santos') } }],
    ['customer.createdAt', { customer: { ...customer('Peter Santos'), createdAt: 'yesterday' } }],
    ['customer.updatedBy', { customer: { ...customer('Peter Santos'), updatedBy: { actorType: 'robot' } } }],
    ['previousCustomer.shortName', { previousCustomer: { ...customer('Peter'), shortName: 7 } }],
    ['actor', { actor: { actorType: 'machineUser' } }],
  ])('validates the nested customers and actor whole: names %s', (path, overrides) => {
    expect(() => parseCustomerChangeMessage(encode(change(overrides)))).toThrow(
      expect.objectContaining({ name: ContractViolationError.name, path }),
    );
  });

  it('names a field missing from a nested customer', () => {
    const { externalId: _externalId, ...withoutExternalId } = customer('Peter Santos');
    expect(() => parseCustomerChangeMessage(encode(change({ customer: withoutExternalId })))).toThrow(
      expect.objectContaining({ path: 'customer.externalId', reason: 'is required' }),
    );
  });

  it('reads customer and previousCustomer left out as null', () => {
    const { customer: _customer, ...deleted } = change({ type: 'customer.customer_deleted' });
    expect(parseCustomerChangeMessage(encode(deleted)).customer).toBeNull();
  });
});
