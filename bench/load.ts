import { runWorker } from './run-worker';
import type { AutocannonJob, AutocannonSummary, LoadBody } from './workers/autocannon.worker';

/** How hard to drive a server: connections, and a duration after a warm-up or a number of requests. */
export type Load = Pick<AutocannonJob, 'connections' | 'durationS' | 'amount' | 'warmupS' | 'ratePerS'>;

/** autocannon, in its own worker thread, against the app at `url` with `apiKey`; each request carries `body`. */
export function load(url: string, apiKey: string, how: Load, body: LoadBody): Promise<AutocannonSummary> {
  const { connections, durationS, amount, warmupS, ratePerS } = how;
  return runWorker<AutocannonSummary>('autocannon', {
    url,
    apiKey,
    connections,
    durationS,
    amount,
    warmupS,
    ratePerS,
    body,
  } satisfies AutocannonJob);
}
