import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ConfigResourceTypes } from 'kafkajs';
import { AppProcess, DIST_DIR } from '@test/support/app-process';
import { eventually, sleep } from '@test/support/eventually';
import { EventLoad, exactlyOnceReport, timelineMarkerCounts } from '@test/support/event-load';
import { createApiKey, uniqueExternalId } from '@test/support/fixtures';
import { freePort } from '@test/support/free-port';
import { withKafkaAdmin } from '@test/support/kafka-admin';
import { ROOT } from '@test/support/infra-state';
import { PrivateBroker } from '@test/support/private-broker';
import { createCustomer } from './gateway-helpers';

/** The bound on how long acknowledgements stop while KRaft moves the lost broker's leaderships. */
const ACK_GAP_CEILING_MS = 15_000;

function cli(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [join(ROOT, DIST_DIR, 'apps/cli/src/main.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Longest time between two consecutive acknowledgements from `from` on (the answer time of each 2xx). */
function longestAckGap(load: EventLoad, from: number): number {
  const acked = load.accepted
    .map((o) => o.answeredAt)
    .filter((t) => t >= from)
    .sort((a, b) => a - b);
  let gap = acked.length > 0 ? acked[0] - from : Infinity;
  for (let i = 1; i < acked.length; i++) gap = Math.max(gap, acked[i] - acked[i - 1]);
  return gap;
}

/**
 * Three brokers of this file's own (the same jars, KRaft, each a controller too), topics replicated 3 times
 * with min.insync.replicas 2 (what `topics create` derives), load with Idempotency-Keys, one broker SIGKILLed.
 */
describe('fault: one broker of a three-broker cluster is SIGKILLed under load', () => {
  let brokers: PrivateBroker[] = [];
  let bootstrap: string;
  let gateway: AppProcess;
  let projector: AppProcess;
  let apiKey: string;
  const prefix = `${process.env.KAFKA_TOPIC_PREFIX!}cluster-${randomBytes(3).toString('hex')}.`;
  const customers: Array<{ id: string; externalId: string }> = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    const ports: number[] = [];
    const controllerPorts: number[] = [];
    for (let i = 0; i < 3; i++) {
      ports.push(await freePort());
      controllerPorts.push(await freePort());
    }
    const voters = controllerPorts.map((port, i) => `${i + 1}@127.0.0.1:${port}`).join(',');
    const clusterId = randomBytes(16).toString('base64url');
    brokers = ports.map(
      (port, i) =>
        new PrivateBroker(port, prefix, {
          controllerPort: controllerPorts[i],
          clusterId,
          properties: {
            'node.id': String(i + 1),
            'controller.quorum.voters': voters,
            'offsets.topic.replication.factor': '3',
            'transaction.state.log.replication.factor': '3',
            'transaction.state.log.min.isr': '2',
            'default.replication.factor': '3',
            'min.insync.replicas': '2',
          },
        }),
    );
    // A quorum of controllers is needed before any of them answers: they start together.
    await Promise.all(brokers.map((b) => b.destroy()));
    await Promise.all(brokers.map((b) => b.start()));
    bootstrap = brokers.map((b) => b.brokers).join(',');
    env = { KAFKA_BROKERS: bootstrap, KAFKA_TOPIC_PREFIX: prefix };

    const created = cli(['topics', 'create'], {
      ...env,
      KAFKA_PARTITIONS: '3',
      KAFKA_REPLICATION_FACTOR: '3',
    });
    if (created.code !== 0) throw new Error(`topics create exited ${created.code}: ${created.output}`);

    [gateway, projector, { apiKey }] = await Promise.all([
      AppProcess.start('gateway', env),
      AppProcess.start('projector', {
        ...env,
        PROJECTOR_GROUP_ID: `cluster-${randomBytes(4).toString('hex')}`,
        DATABASE_POOL_SIZE: '4',
      }),
      createApiKey(),
    ]);
    for (let i = 0; i < 6; i++) customers.push(await createCustomer(gateway.url, apiKey, uniqueExternalId()));
  }, 180_000);

  afterAll(async () => {
    await Promise.all([gateway?.stop(), projector?.stop()]);
    await Promise.all(brokers.map((b) => b.destroy()));
  });

  it('topics create gave every topic replication 3 and min.insync.replicas 2, and reports drift on a second run', async () => {
    await withKafkaAdmin(bootstrap.split(','), async (admin) => {
      const topic = `${prefix}customer-events.v1`;
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(topics[0].partitions.map((p) => p.replicas.length)).toEqual([3, 3, 3]);
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['min.insync.replicas'] }],
      });
      expect(resources[0].configEntries[0].configValue).toBe('2');
    });
    const again = cli(['topics', 'create'], { ...env, KAFKA_PARTITIONS: '6', KAFKA_REPLICATION_FACTOR: '3' });
    expect(again.code).toBe(3);
    expect(again.output).toContain(`${prefix}customer-events.v1: 3 partitions, KAFKA_PARTITIONS wants 6`);
  });

  it(`loses nothing acknowledged, stores nothing twice, acknowledges again within ${ACK_GAP_CEILING_MS / 1000} s, and the broker rejoins`, async () => {
    const load = new EventLoad({
      gatewayUrl: () => gateway.url,
      apiKey,
      customers,
      concurrency: 3,
      idempotentRetries: true,
      pauseMs: 20,
    }).start();
    await sleep(3000);
    const [victim] = brokers;
    victim.kill();
    const killedAt = Date.now();
    await sleep(16_000);
    await load.stop();
    const gap = longestAckGap(load, killedAt);
    process.stdout.write(
      `faults-broker-lost: ${load.accepted.length} acknowledged; longest pause in acknowledgements after the kill ${(gap / 1000).toFixed(1)} s\n`,
    );
    expect(gap).toBeLessThanOrEqual(ACK_GAP_CEILING_MS);

    const accepted = load.acceptedMarkers();
    await eventually(
      async () => {
        const counts = await timelineMarkerCounts(customers.map((c) => c.id));
        expect(exactlyOnceReport(accepted, counts)).toEqual({ missing: [], duplicated: [] });
      },
      90_000,
      1000,
    );

    // Restarted, the broker catches up and is back in sync for every partition.
    await victim.start();
    await withKafkaAdmin(bootstrap.split(','), (admin) =>
      eventually(
        async () => {
          const { topics } = await admin.fetchTopicMetadata({ topics: [`${prefix}customer-events.v1`] });
          expect(topics[0].partitions.map((p) => p.isr.length)).toEqual([3, 3, 3]);
        },
        60_000,
        1000,
      ),
    );
  });
});
