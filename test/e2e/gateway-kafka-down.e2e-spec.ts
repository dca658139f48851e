import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { allTopics, TOPICS } from '@app/contracts';
import { AppProcess } from '@test/support/app-process';
import { eventually } from '@test/support/eventually';
import { createApiKey, uniqueExternalId } from '@test/support/fixtures';
import { freePort } from '@test/support/free-port';
import { kafkaScript, ROOT } from '@test/support/infra-state';
import { createCustomer, expectError, postBatch, postEvent, sql, TopicReader } from './gateway-helpers';

const PUBLISH_TIMEOUT_MS = 2000;

/**
 * A broker of this test's own (scripts/kafka.sh on free ports, its own data dir): stopping it disturbs no one,
 * unlike the shared broker on 9092. The gateway under test knows only this broker.
 */
describe('gateway when Kafka is unreachable', () => {
  let env: Record<string, string>;
  let brokers: string;
  let gateway: AppProcess;
  let apiKey: string;
  let externalId: string;

  beforeAll(async () => {
    const [port, controllerPort] = [await freePort(), await freePort()];
    brokers = `127.0.0.1:${port}`;
    env = { KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(controllerPort), KAFKA_BROKERS: brokers };
    if (!kafkaScript('start', env)) throw new Error('could not start the test broker');
    const admin = new Kafka({
      clientId: 'kafka-down-e2e',
      brokers: [brokers],
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: allTopics(process.env.KAFKA_TOPIC_PREFIX!).map((topic) => ({ topic, numPartitions: 1 })),
    });
    await admin.disconnect();
    gateway = await AppProcess.start('gateway', {
      KAFKA_BROKERS: brokers,
      KAFKA_PUBLISH_TIMEOUT_MS: String(PUBLISH_TIMEOUT_MS),
    });
    ({ apiKey } = await createApiKey());
    externalId = uniqueExternalId();
    await createCustomer(gateway.url, apiKey, externalId);
  });

  afterAll(async () => {
    await gateway?.stop();
    if (env) {
      kafkaScript('stop', env);
      const cache = process.env.SUPPORTDESK_CACHE_DIR ?? join(ROOT, '.cache');
      rmSync(join(cache, 'kafka', `broker-${env.KAFKA_PORT}`), { recursive: true, force: true });
    }
  });

  it('answers 503 SERVICE_UNAVAILABLE within a bounded time, never 2xx, and recovers without a restart', async () => {
    const event = { customerExternalId: externalId, type: 'order.placed' };
    const acceptedIds: string[] = [];
    const before = await postEvent(gateway.url, apiKey, event);
    expect(before.status).toBe(201);
    acceptedIds.push(before.body.data.id);

    expect(kafkaScript('stop', env)).toBe(true);
    const key = `down-${externalId}`;
    const whileDown = [];
    for (const send of [
      () => postEvent(gateway.url, apiKey, event),
      () => postEvent(gateway.url, apiKey, { ...event, type: 'order.paid' }, { 'Idempotency-Key': key }),
      () => postBatch(gateway.url, apiKey, { events: [event, { ...event, type: 'order.shipped' }] }),
      () => postEvent(gateway.url, apiKey, event),
    ]) {
      const started = Date.now();
      const response = await send();
      whileDown.push({ response, elapsedMs: Date.now() - started });
    }

    for (const { response, elapsedMs } of whileDown) {
      expectError(response, 503, 'SERVICE_UNAVAILABLE');
      expect(response.headers.get('retry-after')).toBe('1');
      // Bounded by KAFKA_PUBLISH_TIMEOUT_MS; the margin only absorbs a slow machine.
      expect(elapsedMs).toBeLessThan(PUBLISH_TIMEOUT_MS + 5000);
    }

    // The refused keyed request left its key with the event it tried to publish, id included.
    const [claim] = await sql('SELECT event_id, status FROM idempotency_keys WHERE key = $1', [key]);
    expect(claim).toEqual({ event_id: expect.stringMatching(/^cev_/), status: 'in_flight' });

    expect(kafkaScript('start', env)).toBe(true);
    const recovered = await eventually(
      async () => {
        const response = await postEvent(gateway.url, apiKey, event);
        if (response.status !== 201) expectError(response, 503, 'SERVICE_UNAVAILABLE');
        expect(response.status).toBe(201);
        return response;
      },
      60_000,
      500,
    );
    acceptedIds.push(recovered.body.data.id);
    // Its retry is accepted with that same event id: had the refused publish reached the broker after all (a
    // timeout is ambiguous), consumers would see one event, not two.
    const retried = await postEvent(
      gateway.url,
      apiKey,
      { ...event, type: 'order.paid' },
      { 'Idempotency-Key': key },
    );
    expect(retried.status).toBe(201);
    expect(retried.body.data.id).toBe(claim.event_id);
    acceptedIds.push(retried.body.data.id);
    expect(gateway.child.exitCode).toBeNull();

    // Nothing half-accepted: the topic holds exactly the accepted events of this customer, each once.
    const topic = await new TopicReader(TOPICS.customerEvents, brokers).start();
    try {
      await eventually(
        () => expect(topic.where((v) => v.id === retried.body.data.id)).toHaveLength(1),
        30_000,
      );
      const customerId = before.body.data.customerId;
      expect(topic.where((v) => v.customerId === customerId).map((r) => r.value.id)).toEqual(acceptedIds);
    } finally {
      await topic.stop();
    }
  });
});
