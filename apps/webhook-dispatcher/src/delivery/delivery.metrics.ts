import { counter } from '@app/observability/metrics';

export const deliveriesCreated = counter(
  'webhook_deliveries_created_total',
  'Deliveries created from change events',
);
