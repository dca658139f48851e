/** Who did something: the `actor` objects of Plain's webhook schema. */
export type Actor =
  | { actorType: 'machineUser'; machineUserId: string }
  | { actorType: 'user'; userId: string }
  | { actorType: 'system'; system: string }
  | { actorType: 'deletedCustomer'; customerId: string };

/** The `customer` object of Plain's webhook schema; the shape the API returns and webhooks carry. */
export interface Customer {
  id: string;
  externalId: string | null;
  email: { email: string; isVerified: boolean; verifiedAt: string | null };
  fullName: string;
  shortName: string | null;
  markedAsSpamAt: string | null;
  markedAsSpamBy: Actor | null;
  customerGroupMemberships: unknown[];
  createdAt: string;
  createdBy: Actor;
  updatedAt: string;
  updatedBy: Actor;
}
