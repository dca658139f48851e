import { randomBytes } from 'node:crypto';
import { request } from '@test/support/api-client';
import { AppProcess } from '@test/support/app-process';
import { eventually } from '@test/support/eventually';
import { createApiKey, uniqueExternalId } from '@test/support/fixtures';
import { freePort } from '@test/support/free-port';
import { withKafkaAdmin } from '@test/support/kafka-admin';
import { PrivateBroker } from '@test/support/private-broker';
import { WebhookReceiver } from '@test/support/webhook-receiver';
import { createCustomer, postEvent } from './gateway-helpers';

/**
 * The newest Kafka 4 release Maven Central serves (checked with `mvn dependency:get`), fetched and started by
 * scripts/kafka.sh with KAFKA_VERSION: the apps must work against it as they do against 3.9.1.
 */
const KAFKA4_VERSION = process.env.KAFKA4_VERSION ?? '4.4.0';

describe(`Kafka ${KAFKA4_VERSION}: smoke test of the three apps`, () => {
  let broker: PrivateBroker;
  let env: Record<string, string>;
  const prefix = `${process.env.KAFKA_TOPIC_PREFIX!}k4-${randomBytes(3).toString('hex')}.`;
  const groupId = `k4-${randomBytes(4).toString('hex')}`;
  const apps: AppProcess[] = [];
  let gateway: AppProcess;
  let apiKey: string;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    broker = new PrivateBroker(await freePort(), prefix, {
      controllerPort: await freePort(),
      version: KAFKA4_VERSION,
    });
    await broker.create();
    env = { KAFKA_BROKERS: broker.brokers, KAFKA_TOPIC_PREFIX: prefix };
    receiver = await WebhookReceiver.start();
    gateway = await AppProcess.start('gateway', env);
    apps.push(gateway);
    ({ apiKey } = await createApiKey());
  }, 240_000);

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await receiver?.close();
    await broker?.destroy();
  });

  async function projected(projectorUrl: string, externalId: string, eventId: string): Promise<void> {
    await eventually(async () => {
      const timeline = await request(projectorUrl, 'GET', `/api/v1/customers/${externalId}/timeline`, {
        apiKey,
      });
      expect(JSON.stringify(timeline.body)).toContain(eventId);
    }, 60_000);
  }

  it('carries an event from the gateway through Kafka to the timeline, and rebalances two projectors', async () => {
    const first = await AppProcess.start('projector', { ...env, PROJECTOR_GROUP_ID: groupId });
    apps.push(first);
    const externalId = uniqueExternalId();
    await createCustomer(gateway.url, apiKey, externalId);
    const posted = await postEvent(gateway.url, apiKey, { customerExternalId: externalId, type: 'k4.smoke' });
    expect(posted.status).toBe(201);
    await projected(first.url, externalId, posted.body.data.id);

    // A second replica joins: the group rebalances to two members sharing the partitions, and keeps projecting.
    const second = await AppProcess.start('projector', { ...env, PROJECTOR_GROUP_ID: groupId });
    apps.push(second);
    await withKafkaAdmin([broker.brokers], (admin) =>
      eventually(
        async () => {
          const { groups } = await admin.describeGroups([groupId]);
          expect(groups[0].state).toBe('Stable');
          expect(groups[0].members).toHaveLength(2);
        },
        60_000,
        250,
      ),
    );
    const others = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const id = uniqueExternalId();
        await createCustomer(gateway.url, apiKey, id);
        const event = await postEvent(gateway.url, apiKey, { customerExternalId: id, type: 'k4.smoke' });
        expect(event.status).toBe(201);
        return { id, eventId: event.body.data.id as string };
      }),
    );
    for (const { id, eventId } of others) await projected(second.url, id, eventId);
  });

  it('delivers a webhook for a customer change', async () => {
    const dispatcher = await AppProcess.start('webhook-dispatcher', {
      ...env,
      DISPATCHER_GROUP_ID: `k4-dispatcher-${randomBytes(4).toString('hex')}`,
    });
    apps.push(dispatcher);
    const url = receiver.endpoint();
    const target = await request(dispatcher.url, 'POST', '/api/v1/webhook-targets', {
      apiKey,
      body: { url, eventTypes: ['customer.customer_created'] },
    });
    expect(target.status).toBe(201);
    const externalId = uniqueExternalId();
    await createCustomer(gateway.url, apiKey, externalId);
    const [hook] = await receiver.waitFor(url, 1);
    expect(hook.body).toContain(externalId);
  });
});
