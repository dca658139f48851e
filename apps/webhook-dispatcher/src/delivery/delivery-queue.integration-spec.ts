import type { DataSource } from 'typeorm';
import { type CustomerChangeMessage, inWorkspace, newId, type WorkspaceId } from '@app/contracts';
import { SecretBox } from '../secrets';
import { WebhookTargetsRepository } from '../targets';
import type { WebhookEventType } from '../shared';
import { AttemptResultsRepository } from './attempt-results.repository';
import { DeliveryClaimsRepository } from './delivery-claims.repository';
import { DeliveryIntakeRepository } from './delivery-intake.repository';
import { testChange as change } from '@test/support/customer-changes';
import { openTestDataSource } from '@test/support/test-database';
import { insertTestWorkspace } from '@test/support/workspaces';

const box = new SecretBox(Buffer.alloc(32, 7));
/** A 200 answer, as the attempt runner classifies it. */
const ok = { outcome: 'success', statusCode: 200, error: null, responseBody: 'ok', durationMs: 2 } as const;
/** A 500 answer. */
const failure = {
  outcome: 'http_error',
  statusCode: 500,
  error: 'HTTP 500',
  responseBody: '',
  durationMs: 3,
} as const;

describe('the webhook delivery queue in PostgreSQL', () => {
  let db: DataSource;
  let targets: WebhookTargetsRepository;
  let intake: DeliveryIntakeRepository;
  let claims: DeliveryClaimsRepository;
  let results: AttemptResultsRepository;

  beforeAll(async () => {
    db = await openTestDataSource('webhooks-it', 4);
    targets = new WebhookTargetsRepository(db);
    intake = new DeliveryIntakeRepository();
    claims = new DeliveryClaimsRepository(db);
    results = new AttemptResultsRepository(db);
  });

  afterAll(async () => {
    await db?.destroy();
  });

  /** Each test its own workspace; deliveries of earlier tests are finished so they do not get claimed. */
  async function workspace(): Promise<WorkspaceId> {
    await db.query(`UPDATE webhook_deliveries SET status = 'succeeded' WHERE status <> 'succeeded'`);
    return insertTestWorkspace(db);
  }

  async function target(workspaceId: WorkspaceId, eventTypes: WebhookEventType[], enabled = true) {
    const id = newId('whTarget');
    await targets.insert({
      id,
      workspaceId,
      url: 'http://127.0.0.1:9/hook',
      version: '2024-09-18',
      eventTypes,
      description: null,
      enabled,
      secretEncrypted: box.seal('whsec_dGVzdA==', id),
    });
    return id;
  }

  const record = (events: CustomerChangeMessage[]) =>
    db.transaction((em) => intake.record(em, events.map(inWorkspace)));
  const deliveriesOf = (targetId: string): Promise<Array<{ event_id: string; event_type: string }>> =>
    db.query('SELECT event_id, event_type FROM webhook_deliveries WHERE target_id = $1 ORDER BY id', [
      targetId,
    ]);

  it('creates one delivery per event and subscribed target, and nothing more when the batch comes again', async () => {
    const w = await workspace();
    const [a, b] = [
      await target(w, ['customer.customer_updated']),
      await target(w, ['customer.customer_updated']),
    ];
    const events = [change(w, 'customer.customer_updated'), change(w, 'customer.customer_updated')];
    expect(await record(events)).toBe(4);
    expect(await record(events)).toBe(0);
    expect(await deliveriesOf(a)).toHaveLength(2);
    expect(await deliveriesOf(b)).toHaveLength(2);
  });

  it("skips other workspaces' targets, disabled targets, unsubscribed types and targets registered after the event", async () => {
    const w = await workspace();
    const old = change(w, 'customer.customer_updated');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const subscribed = await target(w, ['customer.customer_updated']);
    const disabled = await target(w, ['customer.customer_updated'], false);
    const otherType = await target(w, ['customer.customer_deleted']);
    const elsewhere = await target(await workspace(), ['customer.customer_updated']);
    const fresh = change(w, 'customer.customer_updated');
    await record([old, fresh]);
    expect(await deliveriesOf(subscribed)).toEqual([
      { event_id: fresh.id, event_type: 'customer.customer_updated' },
    ]);
    for (const t of [disabled, otherType, elsewhere]) expect(await deliveriesOf(t)).toEqual([]);
  });

  it('gives customer_changed subscribers creations and updates but not deletions, once per event', async () => {
    const w = await workspace();
    const changed = await target(w, ['customer.customer_changed']);
    const both = await target(w, ['customer.customer_changed', 'customer.customer_created']);
    const [created, updated, deleted] = [
      change(w, 'customer.customer_created'),
      change(w, 'customer.customer_updated'),
      change(w, 'customer.customer_deleted'),
    ];
    await record([created, updated, deleted]);
    expect((await deliveriesOf(changed)).map((d) => d.event_type)).toEqual([
      'customer.customer_changed',
      'customer.customer_changed',
    ]);
    // Ids made in the same millisecond do not sort by creation: compare the types, not their order.
    expect((await deliveriesOf(both)).map((d) => d.event_type).sort()).toEqual([
      'customer.customer_changed',
      'customer.customer_created',
    ]);
  });

  it('never gives one delivery to two workers claiming at the same moment', async () => {
    const w = await workspace();
    for (let i = 0; i < 6; i++) await target(w, ['customer.customer_updated']);
    await record(Array.from({ length: 5 }, () => change(w, 'customer.customer_updated')));
    const options = { limit: 20, perTarget: 10, leaseMs: 60_000 };
    const batches = await Promise.all([
      claims.claimDueAcrossWorkspaces(options),
      claims.claimDueAcrossWorkspaces(options),
      claims.claimDueAcrossWorkspaces(options),
    ]);
    const ids = batches.flat().map((c) => c.deliveryId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThan(0);
  });

  it('when one target has a burst, claims at most the per-target limit for it and still serves the others', async () => {
    const w = await workspace();
    const busy = await target(w, ['customer.customer_created']);
    const quiet = await target(w, ['customer.customer_updated']);
    await record(Array.from({ length: 30 }, () => change(w, 'customer.customer_created')));
    await record([change(w, 'customer.customer_updated')]);
    const first = await claims.claimDueAcrossWorkspaces({ limit: 50, perTarget: 3, leaseMs: 60_000 });
    expect(first.filter((c) => c.targetId === busy)).toHaveLength(3);
    expect(first.filter((c) => c.targetId === quiet)).toHaveLength(1);
    expect(await claims.claimDueAcrossWorkspaces({ limit: 50, perTarget: 3, leaseMs: 60_000 })).toEqual([]);
  });

  it('numbers attempts 1, 2 … and opens each one as in progress with its own attempt id', async () => {
    const w = await workspace();
    const t = await target(w, ['customer.customer_updated']);
    await record([change(w, 'customer.customer_updated')]);
    const [first] = await claims.claimDueAcrossWorkspaces({ limit: 5, perTarget: 5, leaseMs: 60_000 });
    expect(first).toMatchObject({ targetId: t, attemptNumber: 1, scheduledAttemptCount: 1, manual: false });
    expect(await results.complete(first, failure, { status: 'pending', delayMs: 0 })).toBe(true);
    const [second] = await claims.claimDueAcrossWorkspaces({ limit: 5, perTarget: 5, leaseMs: 60_000 });
    expect(second.attemptNumber).toBe(2);
    expect(second.attemptId).not.toBe(first.attemptId);
    expect(second.event.id).toBe(first.event.id);
  });

  it("takes over a dead worker's expired claim: its attempt is recorded lost and the next is numbered after it", async () => {
    const w = await workspace();
    await target(w, ['customer.customer_updated']);
    await record([change(w, 'customer.customer_updated')]);
    const [dead] = await claims.claimDueAcrossWorkspaces({ limit: 5, perTarget: 5, leaseMs: 1 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await claims.reapExpiredAcrossWorkspaces(13)).toBe(1);
    const [lost] = await db.query('SELECT outcome FROM webhook_attempts WHERE id = $1', [dead.attemptId]);
    expect(lost.outcome).toBe('lost');
    const [next] = await claims.claimDueAcrossWorkspaces({ limit: 5, perTarget: 5, leaseMs: 60_000 });
    expect(next).toMatchObject({ deliveryId: dead.deliveryId, attemptNumber: 2 });
    const success = {
      outcome: 'success',
      statusCode: 200,
      error: null,
      responseBody: 'ok',
      durationMs: 1,
    } as const;
    expect(await results.complete(dead, success, { status: 'succeeded' })).toBe(false);
    expect(await results.complete(next, success, { status: 'succeeded' })).toBe(true);
  });

  it('disables a target that answers 410 Gone', async () => {
    const w = await workspace();
    const t = await target(w, ['customer.customer_updated']);
    await record([change(w, 'customer.customer_updated')]);
    const [claim] = await claims.claimDueAcrossWorkspaces({ limit: 5, perTarget: 5, leaseMs: 60_000 });
    const gone = {
      outcome: 'gone',
      statusCode: 410,
      error: 'gone',
      responseBody: '',
      durationMs: 1,
    } as const;
    await results.complete(claim, gone, { status: 'failed' });
    expect(await targets.find(w, t)).toMatchObject({ enabled: false, disabledReason: 'gone' });
  });

  it('disables a target whose failures have gone on for more than 5 days without a success', async () => {
    const w = await workspace();
    const t = await target(w, ['customer.customer_updated']);
    await db.query(
      `UPDATE webhook_targets SET failing_since = now() - interval '5 days 1 minute' WHERE id = $1`,
      [t],
    );
    await record([change(w, 'customer.customer_updated')]);
    const [claim] = await claims.claimDueAcrossWorkspaces({ limit: 5, perTarget: 5, leaseMs: 60_000 });
    const timedOut = {
      outcome: 'timeout',
      statusCode: null,
      error: 'slow',
      responseBody: null,
      durationMs: 1,
    } as const;
    await results.complete(claim, timedOut, { status: 'pending', delayMs: 1000 });
    expect(await targets.find(w, t)).toMatchObject({ enabled: false, disabledReason: 'failing' });
  });

  it('records attempts that end together in one transaction, each told whether its own lease still held', async () => {
    const w = await workspace();
    const [t, u] = [
      await target(w, ['customer.customer_updated']),
      await target(w, ['customer.customer_updated']),
    ];
    await record(Array.from({ length: 30 }, () => change(w, 'customer.customer_updated')));
    const claimed = await claims.claimDueAcrossWorkspaces({ limit: 60, perTarget: 60, leaseMs: 60_000 });
    expect(claimed).toHaveLength(60);
    // One of them was taken over meanwhile (its lease changed hands): only its completion is refused.
    const stolen = claimed[7];
    await db.query(`UPDATE webhook_deliveries SET lease_token = 'another-worker' WHERE id = $1`, [
      stolen.deliveryId,
    ]);
    const failed = {
      outcome: 'http_error',
      statusCode: 503,
      error: 'HTTP 503',
      responseBody: '',
      durationMs: 4,
    } as const;
    // Every other attempt of each target fails, its last one included: both targets end the batch failing.
    const seenOfTarget = new Map<string, number>();
    const ordinal = claimed.map((c) => {
      const n = seenOfTarget.get(c.targetId) ?? 0;
      seenOfTarget.set(c.targetId, n + 1);
      return n;
    });
    const succeeds = (i: number) =>
      ordinal[i] % 2 === 0 && ordinal[i] !== seenOfTarget.get(claimed[i].targetId)! - 1;
    const xactsBefore = await committedTransactions();
    const answers = await Promise.all(
      claimed.map((c, i) =>
        succeeds(i)
          ? results.complete(c, ok, { status: 'succeeded' })
          : results.complete(c, failed, { status: 'pending', delayMs: 60_000 }),
      ),
    );
    // All 60 were queued in the same tick: the first transaction takes one, the next the other 59 (one per
    // attempt would take 60).
    expect((await committedTransactions()) - xactsBefore).toBeLessThanOrEqual(4);
    expect(answers).toEqual(claimed.map((c) => c !== stolen));

    const deliveries: Array<{ id: string; status: string; last_status_code: number | null }> = await db.query(
      `SELECT id, status, last_status_code FROM webhook_deliveries WHERE target_id = ANY($1) ORDER BY id`,
      [[t, u]],
    );
    const byId = new Map(deliveries.map((d) => [d.id, d]));
    claimed.forEach((c, i) => {
      const expected = c === stolen ? 'in_progress' : succeeds(i) ? 'succeeded' : 'pending';
      expect(byId.get(c.deliveryId)).toMatchObject({ status: expected });
    });
    const attempts: Array<{ id: string; outcome: string | null; duration_ms: number | null }> =
      await db.query('SELECT id, outcome, duration_ms FROM webhook_attempts WHERE id = ANY($1)', [
        claimed.map((c) => c.attemptId),
      ]);
    const attemptById = new Map(attempts.map((a) => [a.id, a]));
    claimed.forEach((c, i) => {
      const expected = c === stolen ? null : succeeds(i) ? 'success' : 'http_error';
      expect(attemptById.get(c.attemptId)?.outcome ?? null).toBe(expected);
    });
    // Both targets saw successes, then failures last: each has succeeded once and is failing now.
    for (const id of [t, u]) {
      const [health] = await db.query(
        'SELECT failing_since IS NOT NULL AS failing, last_success_at IS NOT NULL AS succeeded FROM webhook_targets WHERE id = $1',
        [id],
      );
      expect(health).toEqual({ failing: true, succeeded: true });
    }
  });

  it("records a batch of successes and its targets' health in one statement, only where the lease held", async () => {
    const w = await workspace();
    const [t, u] = [
      await target(w, ['customer.customer_updated']),
      await target(w, ['customer.customer_updated']),
    ];
    await db.query(
      `UPDATE webhook_targets SET failing_since = now() - interval '1 hour' WHERE id = ANY($1)`,
      [[t, u]],
    );
    await record(Array.from({ length: 4 }, () => change(w, 'customer.customer_updated')));
    const claimed = await claims.claimDueAcrossWorkspaces({ limit: 8, perTarget: 8, leaseMs: 60_000 });
    expect(claimed).toHaveLength(8);
    // Every attempt for u lost its lease meanwhile: u's health must not move.
    const stolen = claimed.filter((c) => c.targetId === u);
    await db.query(`UPDATE webhook_deliveries SET lease_token = 'another-worker' WHERE id = ANY($1)`, [
      stolen.map((c) => c.deliveryId),
    ]);
    const xactsBefore = await committedTransactions();
    const answers = await Promise.all(claimed.map((c) => results.complete(c, ok, { status: 'succeeded' })));
    // The first alone, the other seven together: two statements, no BEGIN/COMMIT of their own.
    expect((await committedTransactions()) - xactsBefore).toBeLessThanOrEqual(3);
    expect(answers).toEqual(claimed.map((c) => c.targetId === t));
    const statuses: Array<{ target_id: string; status: string }> = await db.query(
      'SELECT target_id, status FROM webhook_deliveries WHERE id = ANY($1)',
      [claimed.map((c) => c.deliveryId)],
    );
    for (const row of statuses) {
      expect(row.status).toBe(row.target_id === t ? 'succeeded' : 'in_progress');
    }
    const health: Array<{ id: string; failing: boolean; succeeded: boolean }> = await db.query(
      `SELECT id, failing_since IS NOT NULL AS failing, last_success_at IS NOT NULL AS succeeded
       FROM webhook_targets WHERE id = ANY($1)`,
      [[t, u]],
    );
    expect(new Map(health.map((h) => [h.id, { failing: h.failing, succeeded: h.succeeded }]))).toEqual(
      new Map([
        [t, { failing: false, succeeded: true }],
        [u, { failing: true, succeeded: false }],
      ]),
    );
  });

  it("records successes and claims their slots' next deliveries in the same statement, within the per-target limit", async () => {
    const w = await workspace();
    const t = await target(w, ['customer.customer_updated']);
    await record(Array.from({ length: 5 }, () => change(w, 'customer.customer_updated')));
    const refill = { perTarget: 2, leaseMs: 60_000 };
    const inFlight = async () => {
      const [row] = await db.query(
        `SELECT count(*)::int AS n FROM webhook_deliveries WHERE target_id = $1 AND status = 'in_progress'`,
        [t],
      );
      return row.n as number;
    };
    const first = await claims.claimDueAcrossWorkspaces({ ...refill, limit: 5 });
    expect(first).toHaveLength(2);

    const second = await Promise.all(
      first.map((c) => results.completeAndClaimNext(c, ok, { status: 'succeeded' }, refill)),
    );
    expect(second.map((s) => s.recorded)).toEqual([true, true]);
    const following = second.map((s) => s.following!);
    expect(following.map((f) => f.targetId)).toEqual([t, t]);
    expect(following.map((f) => f.attemptNumber)).toEqual([1, 1]);
    expect(new Set([...first, ...following].map((c) => c.deliveryId)).size).toBe(4);
    expect(await inFlight()).toBe(2);
    const opened = await db.query('SELECT outcome FROM webhook_attempts WHERE id = ANY($1)', [
      following.map((f) => f.attemptId),
    ]);
    expect(opened).toEqual([{ outcome: null }, { outcome: null }]);

    // One delivery is left: one slot gets it, the other none; a failure's slot is not refilled.
    const third = await results.completeAndClaimNext(following[0], ok, { status: 'succeeded' }, refill);
    expect(third).toMatchObject({ recorded: true, following: { targetId: t } });
    const failed = await results.completeAndClaimNext(
      following[1],
      failure,
      { status: 'pending', delayMs: 60_000 },
      refill,
    );
    expect(failed).toEqual({ recorded: true, following: undefined });
    expect(await inFlight()).toBe(1);
    const last = await results.completeAndClaimNext(third.following!, ok, { status: 'succeeded' }, refill);
    expect(last).toEqual({ recorded: true, following: undefined });
    expect(await inFlight()).toBe(0);
  });

  it('never has more in flight for a target than its limit while replicas claim and refill slots at once', async () => {
    const w = await workspace();
    const t = await target(w, ['customer.customer_updated']);
    await record(Array.from({ length: 1500 }, () => change(w, 'customer.customer_updated')));
    const limits = { perTarget: 2, leaseMs: 60_000 };
    // Three replicas of two slots each: every slot claims, then records each success and claims its next
    // delivery in the same statement (completeAndClaimNext), as the worker's slots do.
    const replicas = await Promise.all(
      [1, 2, 3].map(async (i) => {
        const source = await openTestDataSource(`webhooks-it-replica-${i}`, 3);
        return {
          source,
          claims: new DeliveryClaimsRepository(source),
          results: new AttemptResultsRepository(source),
        };
      }),
    );
    const until = Date.now() + 4_000;
    const slot = async ({ claims: own, results: recorder }: (typeof replicas)[number]) => {
      while (Date.now() < until) {
        let [claim] = await own.claimDueAcrossWorkspaces({ ...limits, limit: 1 });
        while (claim && Date.now() < until)
          claim = (await recorder.completeAndClaimNext(claim, ok, { status: 'succeeded' }, limits))
            .following!;
      }
    };
    // Each reading is one snapshot of the table: what was in flight at one moment.
    let most = 0;
    let readings = 0;
    let slots: Promise<unknown> | undefined;
    try {
      slots = Promise.all(replicas.flatMap((replica) => [slot(replica), slot(replica)]));
      let running = true;
      void slots.finally(() => (running = false));
      while (running) {
        const [row] = await db.query(
          `SELECT count(*)::int AS n FROM webhook_deliveries WHERE target_id = $1 AND status = 'in_progress'`,
          [t],
        );
        most = Math.max(most, row.n as number);
        readings++;
      }
      await slots;
    } finally {
      await slots?.catch(() => undefined);
      await Promise.all(replicas.map((replica) => replica.source.destroy()));
    }
    const [done] = await db.query(
      `SELECT count(*)::int AS n FROM webhook_deliveries WHERE target_id = $1 AND status = 'succeeded'`,
      [t],
    );
    expect(readings).toBeGreaterThan(100);
    expect(done.n).toBeGreaterThan(100);
    expect(most).toBe(2);
  });

  it("updates a recovering target's health after the statement when its row was locked meanwhile", async () => {
    const w = await workspace();
    const t = await target(w, ['customer.customer_updated']);
    await db.query(`UPDATE webhook_targets SET failing_since = now() - interval '1 hour' WHERE id = $1`, [t]);
    await record([change(w, 'customer.customer_updated')]);
    const [claim] = await claims.claimDueAcrossWorkspaces({ limit: 1, perTarget: 1, leaseMs: 60_000 });
    const holder = db.createQueryRunner();
    await holder.connect();
    try {
      await holder.startTransaction();
      await holder.query('SELECT 1 FROM webhook_targets WHERE id = $1 FOR NO KEY UPDATE', [t]);
      const completed = results.completeAndClaimNext(
        claim,
        ok,
        { status: 'succeeded' },
        {
          perTarget: 1,
          leaseMs: 60_000,
        },
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      // Recorded (and committed) without waiting for the target's lock: only the health update waits.
      const [delivery] = await db.query('SELECT status FROM webhook_deliveries WHERE id = $1', [
        claim.deliveryId,
      ]);
      expect(delivery.status).toBe('succeeded');
      await holder.commitTransaction();
      expect(await completed).toEqual({ recorded: true, following: undefined });
    } finally {
      await holder.release();
    }
    const [health] = await db.query('SELECT failing_since FROM webhook_targets WHERE id = $1', [t]);
    expect(health.failing_since).toBeNull();
  });

  /**
   * The cluster's next transaction id: every write transaction takes one (and so does this call), so the
   * difference between two readings bounds how many were written in between.
   */
  async function committedTransactions(): Promise<number> {
    const [row] = await db.query('SELECT pg_current_xact_id()::text::bigint AS n');
    return Number(row.n);
  }
});
