import { randomBytes } from 'node:crypto';
import { request } from '@test/support/api-client';
import { AppProcess } from '@test/support/app-process';
import { eventually } from '@test/support/eventually';
import { createApiKey, uniqueExternalId } from '@test/support/fixtures';
import { metricSum } from '@test/support/metrics-scrape';
import { RecordingReceiver } from '@test/support/recording-receiver';
import { sql } from './gateway-helpers';
import { useOwnTopics } from '@test/support/own-topics';

const CHANGES = 250;
const TARGETS = 4;
/**
 * 12 fast retries (13 attempts): with 30 % failures a delivery fails for good with probability 0.3^13 ≈ 1.6e-7,
 * so "all delivered" is a property of the dispatcher, not of luck (with 8 retries it would be 2 % per run).
 */
const DISPATCHER_ENV = {
  DISPATCHER_GROUP_ID: `faults-flaky-${randomBytes(4).toString('hex')}`,
  WEBHOOK_RETRY_SCHEDULE: Array.from({ length: 12 }, () => '200ms').join(','),
  WEBHOOK_POLL_INTERVAL_MS: '200',
  DATABASE_POOL_SIZE: '4',
};

describe('fault: a receiver failing 30 % of requests at random, two dispatcher replicas, 1,000 deliveries', () => {
  let gateway: AppProcess;
  let replicas: AppProcess[];
  let receiver: RecordingReceiver;
  let apiKey: string;

  beforeAll(async () => {
    await useOwnTopics('faults-flaky-receiver');
    receiver = await RecordingReceiver.start({ failureRate: 0.3, holdMs: [2, 20] });
    [gateway, { apiKey }, ...replicas] = await Promise.all([
      AppProcess.start('gateway'),
      createApiKey(),
      AppProcess.start('webhook-dispatcher', DISPATCHER_ENV),
      AppProcess.start('webhook-dispatcher', DISPATCHER_ENV),
    ]);
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), ...(replicas ?? []).map((r) => r.stop())]);
    await receiver?.close();
  });

  it('delivers every one in the end, numbering attempts 1, 2, 3 … per delivery, never two at once', async () => {
    const targetIds: string[] = [];
    for (let i = 0; i < TARGETS; i++) {
      const created = await request(replicas[i % 2].url, 'POST', '/api/v1/webhook-targets', {
        apiKey,
        body: { url: receiver.url(`/hooks/${i}`), eventTypes: ['customer.customer_created'] },
      });
      expect(created.status).toBe(201);
      targetIds.push(created.body.data.id);
    }
    const externalIds = Array.from({ length: CHANGES }, () => uniqueExternalId());
    for (let i = 0; i < externalIds.length; i += 10) {
      const answers = await Promise.all(
        externalIds.slice(i, i + 10).map((externalId) =>
          request(gateway.url, 'PUT', `/api/v1/customers/${externalId}`, {
            apiKey,
            body: { email: `${externalId}@example.com`, fullName: 'Flaky Receiver' },
          }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201));
    }

    await eventually(() => expect(receiver.delivered().size).toBe(CHANGES * TARGETS), 120_000, 500);
    expect(receiver.byDelivery().size).toBe(CHANGES * TARGETS);
    expect(receiver.violations()).toEqual({ notConsecutive: [], concurrent: [], afterSuccess: [] });
    const attemptIds = receiver.attempts.map((a) => a.attemptId);
    expect(new Set(attemptIds).size).toBe(attemptIds.length);
    // The receiver really failed about 30 % of the attempts, so retries were exercised at scale.
    const failed = receiver.attempts.filter((a) => a.status !== 200).length;
    expect(failed / receiver.attempts.length).toBeGreaterThan(0.2);

    // The dispatchers' own records agree: every delivery succeeded, and every attempt made was recorded.
    await eventually(async () => {
      const statuses = await sql<{ status: string; n: number }>(
        'SELECT status, count(*)::int AS n FROM webhook_deliveries WHERE target_id = ANY($1) GROUP BY status',
        [targetIds],
      );
      expect(statuses).toEqual([{ status: 'succeeded', n: CHANGES * TARGETS }]);
    });
    const [recorded] = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
       WHERE d.target_id = ANY($1)`,
      [targetIds],
    );
    expect(recorded.n).toBe(receiver.attempts.length);
    // Both replicas did part of the work. (They also retry whatever other test files left pending in the run's
    // database, to receivers long closed; only this receiver answers 2xx, so successes are this file's.)
    const perReplica = await Promise.all(
      replicas.map((r) => metricSum(r.url, 'webhook_attempts_total', { outcome: 'success' })),
    );
    expect(perReplica.every((n) => n > 0)).toBe(true);
    expect(perReplica.reduce((a, b) => a + b, 0)).toBe(CHANGES * TARGETS);
    process.stdout.write(
      `faults-flaky-receiver: ${CHANGES * TARGETS} deliveries, ${receiver.attempts.length} attempts ` +
        `(${failed} answered 500), replicas delivered ${perReplica.join(' + ')}, ` +
        `max attempts for one delivery ${Math.max(...[...receiver.byDelivery().values()].map((l) => l.length))}\n`,
    );
  });
});
