import { type Static, Type } from '@sinclair/typebox';
import { parseJsonObject } from '../json-object';
import { compileMessageValidator, type MessageValidator } from '../json-schema/message-validator';
import {
  NullableEventTitle,
  PrefixedId,
  RULE_KEYWORDS,
  StorableInstant,
  StorableJsonObject,
  StorableText,
} from '../json-schema/rules';
import { TOPICS } from '../topics';

export const CUSTOMER_EVENT_TYPE_PATTERN = /^[a-z0-9_.]{1,100}$/;

/** The value of a customer-events.v1 message: its one definition (type, validation, published schema). */
export const CustomerEventMessageSchema = Type.Object(
  {
    id: PrefixedId('cev'),
    workspaceId: PrefixedId('w'),
    customerId: PrefixedId('c'),
    customerExternalId: StorableText({ maxLength: 255, [RULE_KEYWORDS.error]: 'must be a non-empty string' }),
    type: Type.String({
      pattern: CUSTOMER_EVENT_TYPE_PATTERN.source,
      [RULE_KEYWORDS.error]: 'must match [a-z0-9_.]{1,100}',
    }),
    title: NullableEventTitle({
      description:
        'The one-line summary an agent sees; null when the producer sent none. Absent in messages written ' +
        'before titles existed: consumers read that as null',
    }),
    payload: StorableJsonObject(),
    occurredAt: StorableInstant(),
    createdAt: StorableInstant(),
  },
  { $id: `${TOPICS.customerEvents}.schema.json`, title: `${TOPICS.customerEvents} message value` },
);
export type CustomerEventMessage = Static<typeof CustomerEventMessageSchema>;

/** The gateway checks each message it publishes with it, the projector each one it reads. */
export const customerEventMessages: MessageValidator<typeof CustomerEventMessageSchema> =
  compileMessageValidator(CustomerEventMessageSchema);

export function parseCustomerEventMessage(raw: Buffer | null): CustomerEventMessage {
  const value = parseJsonObject(raw);
  if (value.title === undefined) value.title = null; // written before titles existed
  customerEventMessages.check(value);
  return value;
}
