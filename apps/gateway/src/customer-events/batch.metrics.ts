import { counter } from '@app/observability/metrics';
import type { CustomerEventBatchResult } from './dto/customer-event-batch.response';

const batchItems = counter(
  'gateway_batch_items_total',
  'Items of POST /customer-events/batch, by result (accepted|rejected) and, when rejected, error code',
  ['result', 'code'],
);

export function countBatchItems(results: CustomerEventBatchResult[]): void {
  let accepted = 0;
  for (const result of results) {
    if (result.error) batchItems.inc({ result: 'rejected', code: result.error.code });
    else accepted++;
  }
  if (accepted > 0) batchItems.inc({ result: 'accepted' }, accepted);
}
