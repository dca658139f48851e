import type { Actor, Customer } from '@app/contracts';

/** The editable fields, as the PUT/PATCH bodies name them. */
export interface CustomerFields {
  email?: string;
  fullName?: string;
  shortName?: string | null;
  emailVerified?: boolean;
}

/** Applies field changes to a customer; returns the same object when nothing changed. */
export function applyFields(current: Customer, fields: CustomerFields, actor: Actor, now: string): Customer {
  const emailChanged = fields.email !== undefined && fields.email !== current.email.email;
  let verified = emailChanged ? false : current.email.isVerified;
  if (fields.emailVerified !== undefined) verified = fields.emailVerified;
  const verifiedAt = verified
    ? !emailChanged && current.email.verifiedAt
      ? current.email.verifiedAt
      : now
    : null;
  const next: Customer = {
    ...current,
    email: { email: fields.email ?? current.email.email, isVerified: verified, verifiedAt },
    fullName: fields.fullName ?? current.fullName,
    shortName: fields.shortName === undefined ? current.shortName : fields.shortName,
  };
  if (sameContent(current, next)) return current;
  return { ...next, updatedAt: now, updatedBy: actor };
}

export function markAsSpam(current: Customer, actor: Actor, now: string): Customer {
  if (current.markedAsSpamAt !== null) return current;
  return { ...current, markedAsSpamAt: now, markedAsSpamBy: actor, updatedAt: now, updatedBy: actor };
}

export function unmarkAsSpam(current: Customer, actor: Actor, now: string): Customer {
  if (current.markedAsSpamAt === null) return current;
  return { ...current, markedAsSpamAt: null, markedAsSpamBy: null, updatedAt: now, updatedBy: actor };
}

export function newCustomer(
  id: string,
  externalId: string,
  fields: Required<Pick<CustomerFields, 'email' | 'fullName'>> & CustomerFields,
  actor: Actor,
  now: string,
): Customer {
  return {
    id,
    externalId,
    email: {
      email: fields.email,
      isVerified: fields.emailVerified ?? false,
      verifiedAt: fields.emailVerified ? now : null,
    },
    fullName: fields.fullName,
    shortName: fields.shortName ?? null,
    markedAsSpamAt: null,
    markedAsSpamBy: null,
    customerGroupMemberships: [],
    createdAt: now,
    createdBy: actor,
    updatedAt: now,
    updatedBy: actor,
  };
}

function sameContent(a: Customer, b: Customer): boolean {
  return (
    a.email.email === b.email.email &&
    a.email.isVerified === b.email.isVerified &&
    a.email.verifiedAt === b.email.verifiedAt &&
    a.fullName === b.fullName &&
    a.shortName === b.shortName &&
    a.markedAsSpamAt === b.markedAsSpamAt
  );
}
