import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { WorkspaceId } from '@app/contracts';
import type { AttemptOutcome, ClassifiedAttempt, NextDeliveryState } from './attempt-result';
import { preparedStatement, queryPrepared, type PreparedStatement } from '@app/database';
import {
  type ClaimedAttempt,
  type ClaimOptions,
  claimParameters,
  type ClaimRow,
} from './delivery-claims.repository';
import { claimCtes } from './delivery-claims.sql';

/** A target that has not succeeded once in this long is disabled. */
export const DISABLE_AFTER_FAILING_MS = 5 * 24 * 3_600_000;
/** At most this many attempts are recorded by one transaction. */
const MAX_BATCH = 500;

/** What a slot that finished an attempt asks of the record: its next attempt, claimed by the same statement. */
export type SlotRefill = Omit<ClaimOptions, 'limit'>;

/** Whether the attempt was recorded (its lease held), and the attempt claimed for its slot, if one was. */
export interface Completed {
  recorded: boolean;
  following?: ClaimedAttempt;
}

interface Completion {
  claim: ClaimedAttempt;
  attempt: ClassifiedAttempt;
  next: NextDeliveryState;
  refill?: SlotRefill;
  resolve(completed: Completed): void;
  reject(error: unknown): void;
}

/** A success is written to its target only if it was failing or its last success is a minute old. */
const SUCCESS_IS_NEWS = `(failing_since IS NOT NULL OR last_success_at IS NULL OR last_success_at < now() - interval '1 minute')`;

/**
 * The deliveries move on and their attempts are filled in: an attempt is written only if its delivery's lease
 * still held. $1–$15: one array per column of the batch (recordValues).
 */
const RECORD_CTES = `WITH u AS (
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::bigint[],
                          $7::int[], $8::text[], $9::text[], $10::int[], $11::text[], $12::text[], $13::jsonb[],
                          $14::text[], $15::jsonb[])
       AS u(delivery_id, workspace_id, lease_token, status, at, delay_ms, status_code, error, attempt_id,
            duration_ms, outcome, response_body, request_headers, request_body, response_headers)
   ), moved AS (
     UPDATE webhook_deliveries d SET
       status = u.status,
       next_attempt_at = CASE WHEN u.status = 'pending'
         THEN COALESCE(u.at, now() + u.delay_ms * interval '1 millisecond') END,
       manual_retry = false,
       resume_at = NULL,
       lease_token = NULL,
       lease_expires_at = NULL,
       last_status_code = u.status_code,
       last_error = u.error,
       updated_at = now()
     FROM u
     WHERE d.id = u.delivery_id AND d.workspace_id = u.workspace_id AND d.lease_token = u.lease_token
       AND d.status = 'in_progress'
     RETURNING u.attempt_id, d.target_id
   ), attempts AS (
     UPDATE webhook_attempts a SET
       duration_ms = u.duration_ms, outcome = u.outcome, status_code = u.status_code, error = u.error,
       response_body = u.response_body, request_headers = u.request_headers, request_body = u.request_body,
       response_headers = u.response_headers
     FROM u JOIN moved ON moved.attempt_id = u.attempt_id
     WHERE a.id = u.attempt_id
   )`;

/** The batch recorded; returns the attempt ids recorded. Target health follows in the same transaction. */
const RECORD_ATTEMPTS = preparedStatement(
  'webhook_record_attempts',
  `${RECORD_CTES}
   SELECT attempt_id FROM moved`,
);

/**
 * A batch of successes only, recorded with its targets' health in one statement (atomic without a transaction
 * of its own: one round trip where BEGIN, record, health and COMMIT took four). As the `success` health update:
 * a target is written only when it was failing or its last success is a minute old, and only for attempts
 * whose lease held; the targets are locked in id order, as the transaction path visits them.
 */
const RECORD_SUCCESSES = preparedStatement(
  'webhook_record_successes',
  `${RECORD_CTES}, due AS (
     SELECT t.id FROM webhook_targets t
     WHERE t.id IN (SELECT target_id FROM moved)
       AND ${SUCCESS_IS_NEWS}
     ORDER BY t.id
     FOR NO KEY UPDATE OF t
   ), healthy AS (
     UPDATE webhook_targets t SET last_success_at = now(), failing_since = NULL FROM due WHERE t.id = due.id
   )
   SELECT attempt_id FROM moved`,
);

/**
 * RECORD_SUCCESSES that also claims: the slots of the attempts it records take their next deliveries (claimCtes,
 * $16–$21), the recorded deliveries no longer counting as in flight for their targets. One round trip where a
 * record and a claim took two, and a slot starts its next attempt as soon as its last is recorded. The targets'
 * health is updated only where their row is free (SKIP LOCKED, like the claim's own target locks): a statement
 * holding claimed targets never waits for a lock, so two replicas cannot deadlock. A target whose health was
 * news but whose row was taken comes back as `health_deferred`, for an update of its own afterwards. The health
 * is written by the claim's `tallied` update, which also counts the targets' claims: one statement updates a
 * row once.
 */
const RECORD_SUCCESSES_AND_CLAIM = preparedStatement(
  'webhook_record_successes_and_claim',
  `${RECORD_CTES}, wanted AS (
     SELECT t.id, t.workspace_id FROM webhook_targets t
     WHERE t.id IN (SELECT target_id FROM moved)
       AND ${SUCCESS_IS_NEWS}
   ), due AS (
     SELECT t.id FROM webhook_targets t
     WHERE t.id IN (SELECT id FROM wanted)
     ORDER BY t.id
     FOR NO KEY UPDATE OF t SKIP LOCKED
   ), ${claimCtes(15, 'moved', 'due')}
   SELECT 'claimed' AS kind, n.id, n.workspace_id, n.target_id, n.event_type, n.attempt_count,
     n.scheduled_attempt_count, n.manual_retry, n.resume_at, n.traceparent, n.url, n.version, n.secret_encrypted,
     n.retired_secrets_encrypted, n.message, n.attempt_id
   FROM numbered n
   UNION ALL
   SELECT 'recorded', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, m.attempt_id
   FROM moved m
   UNION ALL
   SELECT 'health_deferred', NULL, w.workspace_id, w.id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL
   FROM wanted w WHERE w.id NOT IN (SELECT id FROM due)`,
);

type RecordAndClaimRow = ClaimRow & { kind: 'claimed' | 'recorded' | 'health_deferred' };

/** How an attempt bears on its target's health (see updateTargetHealth). */
type Health = 'success' | 'gone' | 'failure';

const healthOf = (outcome: AttemptOutcome): Health =>
  outcome === 'success' || outcome === 'gone' ? outcome : 'failure';

// The 5-day clock starts at the first failure after a success (or ever); only a success stops it.
const failedTooLong = `failing_since < now() - $3 * interval '1 millisecond'`;

/** $1 target, $2 its workspace; for a failure, $3 how long a target may fail before it is disabled. */
const HEALTH_UPDATES: Record<Health, PreparedStatement> = {
  success: preparedStatement(
    'webhook_target_succeeded',
    `UPDATE webhook_targets SET last_success_at = now(), failing_since = NULL
     WHERE id = $1 AND workspace_id = $2
       AND ${SUCCESS_IS_NEWS}`,
  ),
  gone: preparedStatement(
    'webhook_target_gone',
    `UPDATE webhook_targets SET enabled = false, disabled_reason = 'gone', updated_at = now()
     WHERE id = $1 AND workspace_id = $2 AND enabled`,
  ),
  failure: preparedStatement(
    'webhook_target_failed',
    `UPDATE webhook_targets SET
       failing_since = COALESCE(failing_since, now()),
       enabled = NOT COALESCE(${failedTooLong}, false),
       disabled_reason = CASE WHEN ${failedTooLong} THEN 'failing' ELSE disabled_reason END,
       updated_at = CASE WHEN ${failedTooLong} THEN now() ELSE updated_at END
     WHERE id = $1 AND workspace_id = $2 AND enabled AND (failing_since IS NULL OR ${failedTooLong})`,
  ),
};

/**
 * Records how attempts ended, moves their deliveries on, and keeps the targets' health up to date.
 *
 * Group commit: the attempts that end while one batch is being written wait for it and are recorded together by
 * the next one: one statement when they all succeeded (RECORD_SUCCESSES), else one transaction that also walks
 * the targets' health step by step. An attempt alone is written at once (no added latency); under load, one
 * commit (and one WAL flush) records hundreds, which is what lets one replica keep up with thousands
 * of deliveries a second. Each caller still learns, for its own attempt, whether its lease still held.
 */
@Injectable()
export class AttemptResultsRepository {
  private readonly logger = new Logger(AttemptResultsRepository.name);
  private queue: Completion[] = [];
  private draining = false;

  constructor(private readonly db: DataSource) {}

  /** False when the lease was lost meanwhile (the attempt was given up as lost and retried elsewhere). */
  async complete(
    claim: ClaimedAttempt,
    attempt: ClassifiedAttempt,
    next: NextDeliveryState,
  ): Promise<boolean> {
    return (await this.enqueue(claim, attempt, next)).recorded;
  }

  /**
   * As `complete`, and the attempt's slot takes its next due delivery (within the per-target limit, across
   * replicas) in the statement that records it, when its batch is all successes. `following` is that claimed
   * attempt, to be run by the caller like any other claim.
   */
  completeAndClaimNext(
    claim: ClaimedAttempt,
    attempt: ClassifiedAttempt,
    next: NextDeliveryState,
    refill: SlotRefill,
  ): Promise<Completed> {
    return this.enqueue(claim, attempt, next, refill);
  }

  private enqueue(
    claim: ClaimedAttempt,
    attempt: ClassifiedAttempt,
    next: NextDeliveryState,
    refill?: SlotRefill,
  ): Promise<Completed> {
    return new Promise<Completed>((resolve, reject) => {
      this.queue.push({ claim, attempt, next, refill, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          const { recorded, following } = await this.recordBatch(batch);
          let slot = 0;
          for (const c of batch)
            c.resolve({
              recorded: recorded.has(c.claim.attemptId),
              following: c.refill === undefined ? undefined : following[slot++],
            });
        } catch (error) {
          for (const c of batch) c.reject(error);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /**
   * One transaction for the batch; returns the attempt ids whose lease still held (and were recorded). The
   * deliveries move on and their attempts are filled in by one statement: an attempt is written only if its
   * delivery's lease still held.
   */
  private async record(em: EntityManager, batch: Completion[]): Promise<Set<string>> {
    const moved = await queryPrepared<{ attempt_id: string }>(em, RECORD_ATTEMPTS, recordValues(batch));
    const recorded = new Set(moved.map((row) => row.attempt_id));
    const kept = batch.filter((c) => recorded.has(c.claim.attemptId));
    if (kept.length === 0) return recorded;
    for (const step of healthSteps(kept)) await this.updateTargetHealth(em, step);
    return recorded;
  }

  private async recordSuccesses(batch: Completion[]): Promise<Set<string>> {
    const moved = await queryPrepared<{ attempt_id: string }>(this.db, RECORD_SUCCESSES, recordValues(batch));
    return new Set(moved.map((row) => row.attempt_id));
  }

  /**
   * The attempt ids the batch recorded, and the attempts claimed for its slots (in the order of the completions
   * that asked for one): one transaction when some attempt failed, else one statement, which also claims when
   * slots ask for a refill.
   */
  private async recordBatch(
    batch: Completion[],
  ): Promise<{ recorded: Set<string>; following: ClaimedAttempt[] }> {
    if (!batch.every((c) => c.attempt.outcome === 'success'))
      return { recorded: await this.db.transaction((em) => this.record(em, batch)), following: [] };
    const refills = batch.filter((c) => c.refill !== undefined);
    if (refills.length === 0) return { recorded: await this.recordSuccesses(batch), following: [] };
    return this.recordSuccessesAndClaim(batch, refills.length, refills[0].refill!);
  }

  /** RECORD_SUCCESSES_AND_CLAIM: the recorded attempt ids, and up to `slots` attempts claimed for the slots. */
  private async recordSuccessesAndClaim(
    batch: Completion[],
    slots: number,
    refill: SlotRefill,
  ): Promise<{ recorded: Set<string>; following: ClaimedAttempt[] }> {
    const claim = claimParameters({ ...refill, limit: slots });
    const rows = await queryPrepared<RecordAndClaimRow>(this.db, RECORD_SUCCESSES_AND_CLAIM, [
      ...recordValues(batch),
      ...claim.values,
    ]);
    const recorded = new Set<string>();
    const following: ClaimedAttempt[] = [];
    for (const row of rows) {
      if (row.kind === 'recorded') recorded.add(row.attempt_id);
      else if (row.kind === 'claimed') following.push(claim.toAttempt(row));
      else
        await this.updateTargetHealth(this.db.manager, {
          targetId: row.target_id,
          workspaceId: row.workspace_id,
          health: 'success',
        }).catch((error: unknown) =>
          this.logger.warn({ err: error, targetId: row.target_id }, 'Could not record a target as healthy'),
        );
    }
    return { recorded, following };
  }

  /** Writes only when something changes: a busy healthy target is not rewritten on every attempt. */
  private async updateTargetHealth(
    em: EntityManager,
    step: { targetId: string; workspaceId: WorkspaceId; health: Health },
  ): Promise<void> {
    const scope = [step.targetId, step.workspaceId];
    await queryPrepared(
      em,
      HEALTH_UPDATES[step.health],
      step.health === 'failure' ? [...scope, DISABLE_AFTER_FAILING_MS] : scope,
    );
  }
}

/** RECORD_CTES' fifteen arrays. */
function recordValues(batch: Completion[]): unknown[] {
  return [
    batch.map((c) => c.claim.deliveryId),
    batch.map((c) => c.claim.workspaceId),
    batch.map((c) => c.claim.leaseToken),
    batch.map((c) => c.next.status),
    batch.map((c) => ('at' in c.next ? c.next.at : null)),
    batch.map((c) => ('delayMs' in c.next ? c.next.delayMs : 0)),
    batch.map((c) => c.attempt.statusCode),
    batch.map((c) => c.attempt.error),
    batch.map((c) => c.claim.attemptId),
    batch.map((c) => c.attempt.durationMs),
    batch.map((c) => c.attempt.outcome),
    batch.map((c) => c.attempt.responseBody),
    batch.map((c) => (c.attempt.request ? JSON.stringify(c.attempt.request.headers) : null)),
    batch.map((c) => c.attempt.request?.body ?? null),
    batch.map((c) => (c.attempt.responseHeaders ? JSON.stringify(c.attempt.responseHeaders) : null)),
  ];
}

/**
 * The target-health updates a batch needs, in the order its attempts ended: per target, runs of the same
 * kind of outcome collapse into one update (a hundred successes need one, success-failure-success three).
 * Targets are visited in id order, so two replicas' transactions lock them in the same order.
 */
export function healthSteps(
  completions: Array<Pick<Completion, 'claim' | 'attempt'>>,
): Array<{ targetId: string; workspaceId: WorkspaceId; health: Health }> {
  const byTarget = new Map<string, { workspaceId: WorkspaceId; runs: Health[] }>();
  for (const { claim, attempt } of completions) {
    const health = healthOf(attempt.outcome);
    const entry = byTarget.get(claim.targetId) ?? { workspaceId: claim.workspaceId, runs: [] };
    if (entry.runs[entry.runs.length - 1] !== health) entry.runs.push(health);
    byTarget.set(claim.targetId, entry);
  }
  return [...byTarget.keys()].sort().flatMap((targetId) => {
    const { workspaceId, runs } = byTarget.get(targetId)!;
    return runs.map((health) => ({ targetId, workspaceId, health }));
  });
}
