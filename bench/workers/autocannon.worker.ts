import autocannon from 'autocannon';
import { eventBody, externalIdOf } from '../event-payloads';
import { workerMain } from '../run-worker';

/** What each request carries; customers are `<prefix><n>`, n < customers, picked at random per request. */
export type LoadBody =
  | { kind: 'single-event'; customerPrefix: string; customers: number }
  | { kind: 'event-batch'; customerPrefix: string; customers: number; batchSize: number; variants: number }
  | { kind: 'patch-customer'; customerPrefix: string; customers: number };

export interface AutocannonJob {
  url: string;
  apiKey: string;
  connections: number;
  durationS?: number;
  /** Total requests instead of a duration. */
  amount?: number;
  /** Requests per second over all connections (autocannon's overallRate); unpaced when absent. */
  ratePerS?: number;
  warmupS: number;
  body: LoadBody;
}

export interface AutocannonSummary {
  /** 2xx answers during the warm-up (not in the figures, but in the server's CPU time). */
  warmupOk: number;
  durationS: number;
  requests: number;
  ok: number;
  requestsPerS: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
}

const randomCustomer = (body: { customerPrefix: string; customers: number }) =>
  externalIdOf(body.customerPrefix, Math.floor(Math.random() * body.customers));

function requestFor(body: LoadBody): autocannon.Request {
  let n = 0;
  switch (body.kind) {
    case 'single-event':
      return {
        method: 'POST',
        path: '/api/v1/customer-events',
        setupRequest: (request) => ({ ...request, body: eventBody(randomCustomer(body), n++) }),
      };
    case 'event-batch': {
      // Building 500 events per request would load the load generator; a few prepared bodies rotate instead.
      const bodies = Array.from({ length: body.variants }, () => {
        const events = Array.from({ length: body.batchSize }, () =>
          JSON.parse(eventBody(randomCustomer(body), n++)),
        );
        return JSON.stringify({ events });
      });
      return {
        method: 'POST',
        path: '/api/v1/customer-events/batch',
        setupRequest: (request) => ({ ...request, body: bodies[n++ % bodies.length] }),
      };
    }
    case 'patch-customer':
      return {
        method: 'PATCH',
        path: '/api/v1/customers/x',
        setupRequest: (request) => ({
          ...request,
          path: `/api/v1/customers/${randomCustomer(body)}`,
          body: JSON.stringify({ fullName: `Bench Customer ${process.pid}-${n++}` }),
        }),
      };
  }
}

function run(job: AutocannonJob, durationS: number | undefined, amount?: number): Promise<autocannon.Result> {
  return autocannon({
    url: job.url,
    connections: job.connections,
    ...(amount !== undefined ? { amount } : { duration: durationS }),
    ...(job.ratePerS !== undefined ? { overallRate: job.ratePerS } : {}),
    timeout: 30,
    headers: { 'content-type': 'application/json', 'x-api-key': job.apiKey },
    requests: [requestFor(job.body)],
  });
}

function summarize(result: autocannon.Result, warmupOk: number): AutocannonSummary {
  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {}))
    statusCodes[code] = stats.count ?? 0;
  const ok = result['2xx'];
  return {
    warmupOk,
    durationS: result.duration,
    requests: result.requests.total,
    ok,
    requestsPerS: ok / result.duration,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.mean,
    },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
  };
}

workerMain(async (job: AutocannonJob): Promise<AutocannonSummary> => {
  const warmupOk = job.warmupS > 0 ? (await run(job, job.warmupS))['2xx'] : 0;
  return summarize(await run(job, job.durationS, job.amount), warmupOk);
});
