import { type Actor, inWorkspace } from '@app/contracts';
import { openDataSource } from '@app/database';
import {
  AttemptResultsRepository,
  type ClassifiedAttempt,
  DeliveryClaimsRepository,
  DeliveryIntakeRepository,
  exampleCustomerUpdate,
} from '../../apps/webhook-dispatcher/src/delivery';
import { processCpuSeconds } from '../cpu-usage';
import { workerMain } from '../run-worker';

export interface WebhookSqlFloorJob {
  databaseUrl: string;
  workspaceId: string;
  /** Changes per round: the most one claim takes for one target (its concurrency limit). */
  batch: number;
  deliveries: number;
}

export interface WebhookSqlFloorSummary {
  deliveries: number;
  deliveriesPerS: number;
  /** This process's CPU time per delivery, in milliseconds. */
  cpuMsPerDelivery: number;
  /** The CPU time of this process's PostgreSQL backends per delivery, in milliseconds (NaN without /proc). */
  postgresCpuMsPerDelivery: number;
}

const APPLICATION_NAME = 'bench-webhook-floor';

const ACTOR: Actor = { actorType: 'machineUser', machineUserId: 'bench' };

/**
 * The webhooks scenario's second baseline: the dispatcher's database work alone, through its own repositories —
 * a round stores `batch` changes' deliveries (intake), claims them and records each as a success (group
 * commit, as the attempt runner does) — round after round, with no Kafka, no HTTP, no rendering and no signing.
 * What PostgreSQL allows a delivery at the fullest claim one target allows.
 */
workerMain(async (job: WebhookSqlFloorJob): Promise<WebhookSqlFloorSummary> => {
  const db = await openDataSource({
    url: job.databaseUrl,
    poolSize: 2,
    applicationName: 'bench-webhook-floor',
  });
  const intake = new DeliveryIntakeRepository();
  const claims = new DeliveryClaimsRepository(db);
  const results = new AttemptResultsRepository(db);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let delivered = 0;
  let postgresCpuS = NaN;
  try {
    while (delivered < job.deliveries) {
      const changes = Array.from({ length: job.batch }, () =>
        inWorkspace(exampleCustomerUpdate(job.workspaceId, ACTOR)),
      );
      await intake.record(db.manager, changes);
      const claimed = await claims.claimDueAcrossWorkspaces({
        limit: job.batch,
        perTarget: job.batch,
        leaseMs: 60_000,
      });
      if (claimed.length === 0) throw new Error('the floor claimed nothing: is the scenario target enabled?');
      await Promise.all(
        claimed.map((claim) => {
          const body = JSON.stringify(claim.event);
          const ok: ClassifiedAttempt = {
            outcome: 'success',
            statusCode: 200,
            error: null,
            responseBody: 'ok',
            durationMs: 1,
            request: { headers: { 'content-type': 'application/json' }, body },
            responseHeaders: { 'content-type': 'text/plain' },
          };
          return results.complete(claim, ok, { status: 'succeeded' });
        }),
      );
      delivered += claimed.length;
    }
    // Its backends live as long as the pool: their whole CPU time (the connections' start is a few ms of it).
    const backends = await db.query<Array<{ pid: number }>>(
      'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
      [APPLICATION_NAME],
    );
    postgresCpuS = backends.reduce((sum, { pid }) => sum + processCpuSeconds(pid), 0);
  } finally {
    await db.destroy();
  }
  const cpu = process.cpuUsage(cpuBefore);
  return {
    deliveries: delivered,
    deliveriesPerS: delivered / ((performance.now() - started) / 1000),
    cpuMsPerDelivery: (cpu.user + cpu.system) / 1000 / delivered,
    postgresCpuMsPerDelivery: (postgresCpuS * 1000) / delivered,
  };
});
