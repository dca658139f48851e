import {
  type CustomerChangeMessage,
  type CustomerEventMessage,
  parseCustomerChangeMessage,
  parseCustomerEventMessage,
} from '@app/contracts';
import { isDataError } from '@app/database';
import { applyDecorators, UseFilters } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { TOPICS } from '@app/contracts';
import { KafkaBatchErrors, type KafkaBatchPattern } from '@app/kafka';

/**
 * How each topic is consumed, the same for every consumer group (`@Consume(x)` on a controller method): each
 * message is parsed by the topic's shared validator (a throw sends it to the DLQ), and a PostgreSQL data error is
 * the records' own fault, not an outage (the batch is applied again record by record, the culprits dead-lettered).
 */
export const CONSUMED: {
  customerEvents: KafkaBatchPattern<CustomerEventMessage>;
  customerChanges: KafkaBatchPattern<CustomerChangeMessage>;
} = {
  customerEvents: { parse: parseCustomerEventMessage, isPermanentError: isDataError },
  customerChanges: { parse: parseCustomerChangeMessage, isPermanentError: isDataError },
};

/**
 * `@Consume('customerChanges')` on a controller method: it receives each batch of the topic's parsed records
 * (`@Payload() records: ConsumedRecord<…>[]`), consumed as `CONSUMED` says, and a throw is the batch's
 * outcome as `KafkaBatchErrors` maps it (retried, or the records dead-lettered).
 */
export function Consume(topic: keyof typeof CONSUMED): MethodDecorator {
  return applyDecorators(EventPattern(TOPICS[topic], CONSUMED[topic]), UseFilters(KafkaBatchErrors));
}
