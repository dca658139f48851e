import type { Actor, Customer } from '@app/contracts';

/** An actor as Plain's webhook schema knows it; kinds it has no shape for are sent as UNKNOWN. */
export type PlainActor =
  | { actorType: 'user'; userId: string }
  | { actorType: 'machineUser'; machineUserId: string }
  | { actorType: 'system'; system: string }
  | { actorType: 'customer'; customerId: string }
  | { actorType: 'UNKNOWN' };

/** `actor` (createdBy, updatedBy) allows customers; `internalActor` (markedAsSpamBy) does not. */
export function plainActor(actor: Actor, kind: 'actor' | 'internalActor'): PlainActor {
  switch (actor.actorType) {
    case 'user':
      return { actorType: 'user', userId: actor.userId };
    case 'machineUser':
      return { actorType: 'machineUser', machineUserId: actor.machineUserId };
    case 'system':
      return { actorType: 'system', system: actor.system };
    case 'deletedCustomer':
      return kind === 'actor'
        ? { actorType: 'customer', customerId: actor.customerId }
        : { actorType: 'UNKNOWN' };
    default:
      return { actorType: 'UNKNOWN' };
  }
}

/** Exactly the fields of Plain's `customer` object, whatever else the change message carried. */
export function plainCustomer(customer: Customer): Record<string, unknown> {
  return {
    id: customer.id,
    email: {
      email: customer.email.email,
      isVerified: customer.email.isVerified,
      verifiedAt: customer.email.verifiedAt,
    },
    externalId: customer.externalId,
    fullName: customer.fullName,
    shortName: customer.shortName,
    markedAsSpamAt: customer.markedAsSpamAt,
    markedAsSpamBy: customer.markedAsSpamBy ? plainActor(customer.markedAsSpamBy, 'internalActor') : null,
    customerGroupMemberships: customer.customerGroupMemberships,
    createdAt: customer.createdAt,
    createdBy: plainActor(customer.createdBy, 'actor'),
    updatedAt: customer.updatedAt,
    updatedBy: plainActor(customer.updatedBy, 'actor'),
  };
}
