import { AppProcess } from '@test/support/app-process';
import { useOwnTopics } from '@test/support/own-topics';
import { WebhooksHarness } from './webhooks-fixtures';

const PER_TARGET = 3;
const CUSTOMERS = 30;
/** Two replicas in a group of their own: between them they must keep one target's limit. */
const DISPATCHER_ENV = {
  WEBHOOK_MAX_CONCURRENCY_PER_TARGET: String(PER_TARGET),
  DISPATCHER_GROUP_ID: `dispatcher-concurrency-${process.env.TEST_RUN_ID}`,
};

describe('the per-target concurrency limit, across two dispatcher replicas', () => {
  let h: WebhooksHarness;
  let second: AppProcess;

  beforeAll(async () => {
    await useOwnTopics('webhooks-concurrency');
    h = await WebhooksHarness.start(DISPATCHER_ENV);
    second = await AppProcess.start('webhook-dispatcher', DISPATCHER_ENV);
  });

  afterAll(async () => {
    await second?.stop();
    await h?.stop();
  });

  it('a slow target never has more attempts in flight than its limit, and gets every delivery once', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const url = h.receiver.endpoint(async () => {
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 100));
      inFlight--;
      return { status: 200 };
    });
    await h.registerTarget(url, ['customer.customer_created'], '2024-09-18');
    for (let i = 0; i < CUSTOMERS; i++) await h.createCustomer();

    const hooks = await h.receiver.waitFor(url, CUSTOMERS, 60_000);
    const eventIds = hooks.map((hook) => hook.headers['plain-event-id']);
    expect(new Set(eventIds).size).toBe(CUSTOMERS);
    expect(hooks).toHaveLength(CUSTOMERS);
    // The limit held, and was used: the slow answers kept several attempts in flight at once.
    expect(mostInFlight).toBeLessThanOrEqual(PER_TARGET);
    expect(mostInFlight).toBeGreaterThan(1);
  });
});
