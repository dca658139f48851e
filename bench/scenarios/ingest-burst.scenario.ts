import { MEMORY_GOAL_MIB } from '../bench-context';
import { externalIdOf } from '../event-payloads';
import { createApiKey, insertCustomers } from '../fixtures';
import { resultRow } from '../result-row';
import { sandboxedScenario, type ScenarioOutcome } from '../scenario';

const NAME = 'ingest-burst';
const MIB = 1024 * 1024;

/**
 * Memory under a burst of the largest requests: rounds of `concurrency` batch requests of ~1 MiB each (the body
 * limit), all at once, against a gateway with its default settings. It must answer every one (200, or 503 with
 * Retry-After past its bound on request bytes in flight), stay up, and keep its peak RSS under the goal.
 */
export const ingestBurstScenario = sandboxedScenario(NAME, async (ctx, sandbox): Promise<ScenarioOutcome> => {
  const p = ctx.params.ingestBurst;
  const key = await createApiKey(sandbox);
  await insertCustomers(sandbox, key, 'cm_', 100);
  const gateway = await ctx.startApp('gateway', sandbox, NAME);
  const body = burstBody(p.batchEvents);
  const bodyMiB = Buffer.byteLength(body) / MIB;

  ctx.log(`${NAME}: ${p.rounds} rounds of ${p.concurrency} concurrent ${bodyMiB.toFixed(2)} MiB batches`);
  const statuses: Record<string, number> = {};
  let retryAfterMissing = 0;
  let transportErrors = 0;
  for (let round = 0; round < p.rounds; round++) {
    await Promise.all(
      Array.from({ length: p.concurrency }, async () => {
        try {
          const response = await fetch(`${gateway.url}/api/v1/customer-events/batch`, {
            method: 'POST',
            headers: { 'X-API-Key': key.apiKey, 'Content-Type': 'application/json' },
            body,
          });
          await response.arrayBuffer();
          statuses[response.status] = (statuses[response.status] ?? 0) + 1;
          if (response.status === 503 && !response.headers.get('retry-after')) retryAfterMissing += 1;
        } catch {
          transportErrors += 1;
        }
      }),
    );
  }
  const alive = await fetch(`${gateway.url}/health/live`).then(
    (r) => r.status === 200,
    () => false,
  );
  const peakMiB = gateway.peakRssMiB;
  ctx.log(`${NAME}: statuses ${JSON.stringify(statuses)}, peak RSS ${peakMiB.toFixed(0)} MiB`);
  const total = p.rounds * p.concurrency;
  const answeredAsDesigned = (statuses['200'] ?? 0) + (statuses['503'] ?? 0);

  return {
    rows: [
      resultRow(NAME, 'gateway peak RSS during the burst', 'MiB', peakMiB, { atMost: MEMORY_GOAL_MIB }),
      resultRow(NAME, 'batches accepted (200)', '', statuses['200'] ?? 0),
      resultRow(NAME, 'batches refused 503 (bytes in flight)', '', statuses['503'] ?? 0),
      resultRow(
        NAME,
        'other answers, transport errors, 503 without Retry-After',
        '',
        total - answeredAsDesigned + transportErrors + retryAfterMissing,
        {
          equals: 0,
        },
      ),
      resultRow(NAME, 'gateway alive after the burst', '', alive ? 1 : 0, { equals: 1 }),
    ],
    details: { statuses, transportErrors, retryAfterMissing, bodyMiB, peakMiB },
    notes: [
      `${p.rounds} rounds of ${p.concurrency} concurrent requests, each a batch of ${p.batchEvents} events ` +
        `(${bodyMiB.toFixed(2)} MiB), sent by the harness with fetch; the gateway runs with its defaults ` +
        '(GATEWAY_MAX_REQUEST_BYTES_IN_FLIGHT 8 MiB by default).',
    ],
  };
});

/** A batch body just under the 1 MiB body limit: events of ~1 KiB for known customers. */
function burstBody(events: number): string {
  const pad = 'x'.repeat(Math.max(0, Math.floor((MIB * 0.98) / events) - 120));
  return JSON.stringify({
    events: Array.from({ length: events }, (_, n) => ({
      customerExternalId: externalIdOf('cm_', n % 100),
      type: 'bulk.imported',
      payload: { n, pad },
    })),
  });
}
