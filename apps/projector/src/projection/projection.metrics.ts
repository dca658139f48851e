import { counter } from '@app/observability/metrics';

/** Timeline items actually written (redeliveries and erased customers excluded). */
export const projectedItems = counter('projector_events_projected_total', 'Timeline items written', [
  'source',
]);
