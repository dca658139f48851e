import { isString, length, matches } from 'class-validator';
import { CUSTOMER_EVENT_TYPE_PATTERN, isPlainObject, titleProblem } from '@app/contracts';
import { rfc3339Problem, unsafeValueProblem } from '@app/http';
import type { CreateCustomerEventDto } from './dto/create-customer-event.dto';
import type { CustomerEventBatchItemDto } from './dto/customer-event-batch-item.dto';
import { MAX_BATCH_EVENTS } from './dto/customer-event-batch.dto';

/** The fields of CreateCustomerEventDto (a unit spec holds this list to the DTO's own). */
export const EVENT_FIELDS: ReadonlySet<string> = new Set([
  'customerExternalId',
  'type',
  'title',
  'payload',
  'occurredAt',
]);
/** The one field of CustomerEventBatchDto. */
const BATCH_EVENTS_FIELD: ReadonlySet<string> = new Set(['events']);
/** The fields of CustomerEventBatchItemDto. */
export const BATCH_ITEM_FIELDS: ReadonlySet<string> = new Set([...EVENT_FIELDS, 'idempotencyKey']);

function hasOnly(value: Record<string, unknown>, fields: ReadonlySet<string>): boolean {
  for (const key in value) if (!fields.has(key)) return false;
  return true;
}

/** The DTO's rules, field by field, with the very functions its decorators call. */
function isValidEvent(body: Record<string, unknown>): boolean {
  const { customerExternalId, type, title, payload, occurredAt } = body;
  return (
    isString(customerExternalId) &&
    length(customerExternalId, 1, 255) &&
    isString(type) &&
    matches(type, CUSTOMER_EVENT_TYPE_PATTERN) &&
    (title === undefined || (typeof title === 'string' && titleProblem(title) === undefined)) &&
    (payload === undefined || isPlainObject(payload)) &&
    (occurredAt === undefined || rfc3339Problem(occurredAt) === undefined)
  );
}

/**
 * Whether the validation pipe would accept this body of `POST /customer-events` as it is: its rules (the
 * DTO's decorators, unknown fields refused, the pipe's own refusals of reserved keys and deep nesting) checked
 * without building class instances. Only a yes is trusted: a no sends the body through the pipe, whose error
 * names the field. A unit property holds every yes to the pipe's own verdict.
 */
export function isAcceptedEvent(body: unknown): body is CreateCustomerEventDto {
  return (
    isPlainObject(body) &&
    hasOnly(body, EVENT_FIELDS) &&
    isValidEvent(body) &&
    unsafeValueProblem(body) === undefined
  );
}

/** The same for one batch item (the event's rules and an optional Idempotency-Key of 1–255 characters). */
function isAcceptedItem(item: unknown): item is CustomerEventBatchItemDto {
  if (!isPlainObject(item) || !hasOnly(item, BATCH_ITEM_FIELDS) || !isValidEvent(item)) return false;
  const { idempotencyKey } = item;
  return idempotencyKey == null || (isString(idempotencyKey) && length(idempotencyKey, 1, 255));
}

/**
 * The items of a batch body when the body and every item would pass validation as they are; otherwise
 * undefined, and the body goes through the pipe and the item validator (a batch with a bad item is answered
 * item by item there).
 */
export function acceptedBatchItems(body: unknown): CustomerEventBatchItemDto[] | undefined {
  if (!isPlainObject(body) || !hasOnly(body, BATCH_EVENTS_FIELD)) return undefined;
  const { events } = body;
  if (!Array.isArray(events) || events.length < 1 || events.length > MAX_BATCH_EVENTS) return undefined;
  for (const item of events) if (!isAcceptedItem(item)) return undefined;
  return unsafeValueProblem(body) === undefined ? (events as CustomerEventBatchItemDto[]) : undefined;
}
