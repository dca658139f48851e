import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Nullable, PrefixedId, RULE_KEYWORDS, StorableInstant, StorableText } from './json-schema/rules';

const ACTOR_ERROR = 'must be an actor: machineUser, user, system or deletedCustomer, with its id';

/** Who did something: the `actor` objects of Plain's webhook schema. */
export const ActorSchema = Type.Union(
  [
    Type.Object({ actorType: Type.Literal('machineUser'), machineUserId: StorableText() }),
    Type.Object({ actorType: Type.Literal('user'), userId: StorableText() }),
    Type.Object({ actorType: Type.Literal('system'), system: StorableText() }),
    Type.Object({ actorType: Type.Literal('deletedCustomer'), customerId: StorableText() }),
  ],
  {
    description: "Who did it (Plain's actor); for the API, the API key's machine user",
    [RULE_KEYWORDS.error]: ACTOR_ERROR,
  },
);
export type Actor = Static<typeof ActorSchema>;

/** A reference to one of CUSTOMER_DEFINITIONS, typed as what it refers to. */
const definition = <T extends TSchema>(name: 'Actor' | 'Customer', _schema: T) =>
  Type.Unsafe<Static<T>>(Type.Ref(`#/definitions/${name}`));

/** An actor (see CUSTOMER_DEFINITIONS). */
export const ActorRef = definition('Actor', ActorSchema);

/** The `customer` object of Plain's webhook schema; the shape the API returns and webhooks carry. */
export const CustomerSchema = Type.Object(
  {
    id: PrefixedId('c'),
    externalId: Nullable(StorableText()),
    email: Type.Object({
      email: StorableText(),
      isVerified: Type.Boolean(),
      verifiedAt: Nullable(StorableInstant()),
    }),
    fullName: StorableText(),
    shortName: Nullable(StorableText()),
    markedAsSpamAt: Nullable(StorableInstant()),
    markedAsSpamBy: Type.Union([ActorRef, Type.Null()], { [RULE_KEYWORDS.error]: `${ACTOR_ERROR}, or null` }),
    customerGroupMemberships: Type.Array(Type.Unknown()),
    createdAt: StorableInstant(),
    createdBy: ActorRef,
    updatedAt: StorableInstant(),
    updatedBy: ActorRef,
  },
  {
    description: "A customer, in the shape of Plain's webhook schema",
    [RULE_KEYWORDS.error]: 'must be a customer object',
  },
);
export type Customer = Static<typeof CustomerSchema>;

/** What a message schema holding customers carries in its `definitions`: they refer to each other there. */
export const CUSTOMER_DEFINITIONS = { Actor: ActorSchema, Customer: CustomerSchema };

/** A customer, or null. A nested error is named by its own path (`customer.email.email`). */
export const NullableCustomerRef = (options: Record<string, unknown> = {}) =>
  Type.Union([definition('Customer', CustomerSchema), Type.Null()], options);
