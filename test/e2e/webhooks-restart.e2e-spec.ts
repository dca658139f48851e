import { AppProcess } from '@test/support/app-process';
import { eventually, sleep } from '@test/support/eventually';
import { verifyWithOracles } from '@test/support/webhook-receiver';
import { WebhooksHarness } from './webhooks-fixtures';
import { useOwnTopics } from '@test/support/own-topics';

/** Its own consumer group: the members killed here must not hold up other files' dispatchers. */
const DISPATCHER_ENV = {
  WEBHOOK_RETRY_SCHEDULE: '4s,4s',
  DISPATCHER_GROUP_ID: `dispatcher-restart-${process.env.TEST_RUN_ID}`,
};

describe('webhook retries survive a dispatcher crash', () => {
  let h: WebhooksHarness;

  beforeAll(async () => {
    await useOwnTopics('webhooks-restart');
    h = await WebhooksHarness.start(DISPATCHER_ENV);
  });

  afterAll(async () => {
    // The restarted dispatcher waits for the killed member's Kafka session to expire before its group settles,
    // so a graceful stop would wait for that too; killing it is harmless in this file's own group.
    await h?.dispatcher?.kill();
    await h?.stop();
  });

  it('a dispatcher killed during a retry wait makes the next attempt after restart, on time and numbered 2, then 3', async () => {
    const url = h.receiver.endpoint((_, index) => ({ status: index < 2 ? 500 : 200 }));
    const target = await h.registerTarget(url, ['customer.customer_created'], '2024-09-18');
    await h.createCustomer();

    const [first] = await h.receiver.waitFor(url, 1);
    const waiting = await eventually(async () => {
      const list = await h.dispatcherApi('GET', `/webhook-targets/${target.id}/deliveries`);
      const delivery = list.body.data.items[0];
      expect(delivery).toMatchObject({ status: 'pending', attemptCount: 1 });
      return delivery as { id: string; nextAttemptAt: string };
    });
    await h.dispatcher.kill();
    h.dispatcher = await AppProcess.start('webhook-dispatcher', DISPATCHER_ENV);

    const hooks = await h.receiver.waitFor(url, 3);
    const bodies = hooks.map((hook) => verifyWithOracles(hook, '2024-09-18', target.secret));
    expect(bodies.map((b) => b.webhookMetadata.webhookDeliveryAttemptNumber)).toEqual([1, 2, 3]);
    expect(new Set(bodies.map((b) => b.id))).toEqual(new Set([first.json.id]));
    expect(new Set(bodies.map((b) => b.webhookMetadata.webhookDeliveryAttemptId)).size).toBe(3);
    // Not early: the restarted worker kept to the schedule stored before the crash.
    expect(Date.parse(bodies[1].webhookMetadata.webhookDeliveryAttemptTimestamp)).toBeGreaterThanOrEqual(
      Date.parse(waiting.nextAttemptAt),
    );

    await sleep(1500);
    expect(h.receiver.requestsTo(url)).toHaveLength(3);
    const delivery = await h.dispatcherApi('GET', `/webhook-deliveries/${waiting.id}`);
    expect(delivery.body.data).toMatchObject({ status: 'succeeded', attemptCount: 3 });
    const attempts = delivery.body.data.attempts.map((a: { number: number; statusCode: number }) => [
      a.number,
      a.statusCode,
    ]);
    expect(attempts).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
  });
});
