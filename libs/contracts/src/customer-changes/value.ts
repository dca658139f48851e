import { type Static, Type } from '@sinclair/typebox';
import { ContractViolationError } from '../contract-violation.error';
import { ActorRef, CUSTOMER_DEFINITIONS, NullableCustomerRef } from '../customer';
import { parseJsonObject } from '../json-object';
import { compileMessageValidator, type MessageValidator } from '../json-schema/message-validator';
import { PrefixedId, RULE_KEYWORDS, StorableInstant, StringEnum } from '../json-schema/rules';
import { TOPICS } from '../topics';

export const CUSTOMER_CHANGE_TYPES = [
  'customer.customer_created',
  'customer.customer_updated',
  'customer.customer_deleted',
] as const;

export type CustomerChangeType = (typeof CUSTOMER_CHANGE_TYPES)[number];

const [CREATED, UPDATED, DELETED] = CUSTOMER_CHANGE_TYPES;

const OBJECT = { type: 'object' } as const;
const NULL = { type: 'null' } as const;

/** When the message is of `type`, its customer and previousCustomer are each an object or null. */
function whenType(
  type: CustomerChangeType,
  customer: typeof OBJECT | typeof NULL,
  previousCustomer: typeof OBJECT | typeof NULL,
) {
  const verb = type.replace('customer.customer_', '').replace(/d$/, '');
  const error = (is: typeof OBJECT | typeof NULL) =>
    `must be ${is === NULL ? 'null' : 'a customer object'} on ${verb}`;
  return {
    if: { required: ['type'], properties: { type: { const: type } } },
    then: {
      properties: {
        customer: { ...customer, [RULE_KEYWORDS.error]: error(customer) },
        previousCustomer: { ...previousCustomer, [RULE_KEYWORDS.error]: error(previousCustomer) },
      },
    },
  };
}

/**
 * The value of a customer-changes.v1 message (written by the gateway's outbox relay): its one definition. The
 * customer states are validated whole; `customer` is null on delete, `previousCustomer` null on create.
 */
export const CustomerChangeMessageSchema = Type.Object(
  {
    id: PrefixedId('pEv'),
    type: StringEnum(CUSTOMER_CHANGE_TYPES),
    workspaceId: PrefixedId('w'),
    customerId: PrefixedId('c'),
    version: Type.Integer({
      minimum: 1,
      description: "The customer's version after this change (1 on create)",
      [RULE_KEYWORDS.error]: 'must be a positive integer',
    }),
    customer: NullableCustomerRef({ description: 'The customer after the change; null on delete' }),
    previousCustomer: NullableCustomerRef({ description: 'The customer before the change; null on create' }),
    actor: ActorRef,
    occurredAt: StorableInstant(),
  },
  {
    $id: `${TOPICS.customerChanges}.schema.json`,
    title: `${TOPICS.customerChanges} message value`,
    description:
      'customer.id and previousCustomer.id, when present, equal customerId (checked by the consumers too)',
    definitions: CUSTOMER_DEFINITIONS,
    allOf: [
      whenType(CREATED, OBJECT, NULL),
      whenType(UPDATED, OBJECT, OBJECT),
      whenType(DELETED, NULL, OBJECT),
    ],
  },
);
export type CustomerChangeMessage = Static<typeof CustomerChangeMessageSchema>;

/**
 * The gateway checks each change it writes to the outbox with it, the projector and the dispatcher each one
 * they read: the schema, then what a schema cannot compare (the customers are the one the message is about).
 */
export const customerChangeMessages: MessageValidator<typeof CustomerChangeMessageSchema> =
  compileMessageValidator(CustomerChangeMessageSchema, (message) => {
    for (const field of ['customer', 'previousCustomer'] as const) {
      const customer = message[field];
      if (customer !== null && customer.id !== message.customerId) {
        throw new ContractViolationError(`${field}.id`, 'must equal customerId');
      }
    }
  });

export function parseCustomerChangeMessage(raw: Buffer | null): CustomerChangeMessage {
  const value = parseJsonObject(raw);
  // A state left out reads as null, as it always has (the schema's rule by type then applies).
  value.customer ??= null;
  value.previousCustomer ??= null;
  customerChangeMessages.check(value);
  return value;
}
