import {
  type CustomerChangeMessage,
  type CustomerEventMessage,
  parseCustomerChangeMessage,
  parseCustomerEventMessage,
} from '@app/contracts';
import { isDataError } from '@app/database';
import type { KafkaBatchPattern } from '@app/kafka';

/**
 * How each topic is consumed, the same for every consumer group (`@EventPattern(TOPICS.x, CONSUMED.x)`): each
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
