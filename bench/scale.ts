export type Scale = 'tiny' | 'full';

/** Volumes per scenario: `full` is the issue's, `tiny` proves the harness works in a few seconds each. */
export interface ScaleParams {
  ingestSingle: {
    connections: number;
    /** The second load, for the p99 goal at few connections. */
    fewConnections: number;
    durationS: number;
    warmupS: number;
    customers: number;
  };
  ingestBatch: {
    connections: number;
    durationS: number;
    warmupS: number;
    batchSize: number;
    customers: number;
  };
  project: { events: number; customers: number };
  e2eLatency: {
    /** The fixed rate, run only where the probed capacity allows it; half the capacity is always run. */
    ratePerS: number;
    probeConnections: number;
    probeS: number;
    durationS: number;
    warmupS: number;
    sampleEvery: number;
    samplePool: number;
    customers: number;
    pollEveryMs: number;
  };
  webhooks: { updates: number; customers: number; connections: number };
  ingestBurst: { rounds: number; concurrency: number; batchEvents: number };
  customerWrites: {
    customers: number;
    samplePool: number;
    connections: number;
    durationS: number;
    warmupS: number;
    latencyS: number;
  };
}

export const SCALES: Record<Scale, ScaleParams> = {
  full: {
    ingestSingle: { connections: 64, fewConnections: 8, durationS: 20, warmupS: 3, customers: 10_000 },
    ingestBatch: { connections: 8, durationS: 20, warmupS: 3, batchSize: 500, customers: 10_000 },
    project: { events: 1_000_000, customers: 10_000 },
    e2eLatency: {
      ratePerS: 1000,
      probeConnections: 64,
      probeS: 10,
      durationS: 30,
      warmupS: 10,
      sampleEvery: 10,
      samplePool: 300,
      customers: 1000,
      pollEveryMs: 5,
    },
    webhooks: { updates: 10_000, customers: 1000, connections: 16 },
    ingestBurst: { rounds: 5, concurrency: 64, batchEvents: 1000 },
    customerWrites: {
      customers: 500,
      samplePool: 100,
      connections: 16,
      durationS: 20,
      warmupS: 3,
      latencyS: 20,
    },
  },
  tiny: {
    ingestSingle: { connections: 8, fewConnections: 2, durationS: 2, warmupS: 1, customers: 200 },
    ingestBatch: { connections: 4, durationS: 2, warmupS: 1, batchSize: 100, customers: 200 },
    project: { events: 20_000, customers: 200 },
    e2eLatency: {
      ratePerS: 100,
      probeConnections: 8,
      probeS: 2,
      durationS: 3,
      warmupS: 1,
      sampleEvery: 10,
      samplePool: 20,
      customers: 100,
      pollEveryMs: 5,
    },
    webhooks: { updates: 300, customers: 50, connections: 8 },
    ingestBurst: { rounds: 1, concurrency: 8, batchEvents: 1000 },
    customerWrites: { customers: 50, samplePool: 10, connections: 4, durationS: 2, warmupS: 1, latencyS: 3 },
  },
};

/** The scale's volumes, with the measured duration of the timed scenarios and the backlog replaced when asked. */
export function scaleParams(scale: Scale, durationS?: number, events?: number): ScaleParams {
  const params = structuredClone(SCALES[scale]);
  if (events !== undefined) params.project.events = events;
  if (durationS !== undefined) {
    params.ingestSingle.durationS = durationS;
    params.ingestBatch.durationS = durationS;
    params.e2eLatency.durationS = durationS;
  }
  return params;
}
