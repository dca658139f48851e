import { counter } from '@app/observability/metrics';
import type { BatchItemResult } from './customer-event-batch.view';

const batchItems = counter(
  'gateway_batch_items_total',
  'Items of POST /customer-events/batch, by result (accepted|rejected) and, when rejected, error code',
  ['result', 'code'],
);

export function countBatchItems(results: BatchItemResult[]): void {
  let accepted = 0;
  for (const result of results) {
    if (result.success) accepted++;
    else batchItems.inc({ result: 'rejected', code: result.error.code });
  }
  if (accepted > 0) batchItems.inc({ result: 'accepted' }, accepted);
}
