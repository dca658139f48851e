import { preparedStatement } from '@app/database';

/**
 * Fair claiming. Targets with due work are locked (SKIP LOCKED: replicas claiming at the same moment take
 * different targets, so a target's in-flight count cannot be overshot), oldest due work first; each gets at
 * most `perTarget` minus what it already has in flight, so a burst for one target cannot starve the others.
 * The claimed deliveries are leased: in progress until the lease runs out. Each step is an index scan that stops
 * at what it needs (webhook_deliveries_due_ordered; the picked ids as an array, so the update finds them by
 * primary key rather than by a hash join over the whole table).
 * The claim opens the attempt rows too, numbered after the last, all in one statement: one round trip, where
 * BEGIN, claim, insert and COMMIT took four, and claiming is what one worker does serially.
 * The target's secrets come along: the current one, and every one rotated out that has not expired yet, most
 * recently rotated out first.
 *
 * The count of a target's deliveries in flight is read with the statement's snapshot, taken when it started;
 * the target's lock is taken later, and a claim for the same target may have committed in between (its lock
 * released, its deliveries invisible to the snapshot). So each claim adds what it took to its target's
 * `claimed_total`, and a claim subtracts from its target's allowance what the target's newest row (the one its
 * lock returns) counts beyond the snapshot's row: the deliveries claimed since the snapshot. Without it, two
 * replicas refilling slots of one target could take one delivery more than the limit.
 *
 * The CTEs (`due_targets`, `picked`, `claimed`, `numbered`, `opened`, `tallied`; the claimed attempts are
 * `numbered`) with their parameters after the first `offset`: +1 limit, +2 per-target limit, +3 lease token,
 * +4 lease ms, +5 attempt start, +6 at least `limit` attempt ids. `finishing`, when given, names a CTE of the same
 * statement whose rows (`target_id`) are in-progress deliveries that statement finishes: they no longer count as
 * in flight. `recovered`, when given, names a CTE of the same statement whose rows (`id`) are targets it found
 * healthy again, locked by it: `tallied` records their success too, as a row can be updated once per statement.
 */
export function claimCtes(offset: number, finishing?: string, recovered?: string): string {
  const $ = (n: number) => `$${offset + n}`;
  const finished = finishing ? ` + (SELECT count(*) FROM ${finishing} f WHERE f.target_id = t.id)` : '';
  const touched = recovered
    ? `(SELECT COALESCE(c.target_id, r.id) AS id, COALESCE(c.n, 0) AS n, r.id IS NOT NULL AS recovered
      FROM (SELECT target_id, count(*) AS n FROM claimed GROUP BY target_id) c
      FULL JOIN ${recovered} r ON r.id = c.target_id)`
    : `(SELECT target_id AS id, count(*) AS n, false AS recovered FROM claimed GROUP BY target_id)`;
  return `due_targets AS (
  SELECT t.id, t.claimed_total
  FROM webhook_targets t
  WHERE t.enabled
    AND EXISTS (SELECT 1 FROM webhook_deliveries d
                WHERE d.target_id = t.id AND d.status = 'pending' AND d.next_attempt_at <= now())
  ORDER BY (SELECT min(d.next_attempt_at) FROM webhook_deliveries d
            WHERE d.target_id = t.id AND d.status = 'pending')
  LIMIT ${$(1)}
  FOR NO KEY UPDATE OF t SKIP LOCKED
), picked AS (
  SELECT p.id
  FROM due_targets t
  CROSS JOIN LATERAL (
    SELECT d.id FROM webhook_deliveries d
    WHERE d.target_id = t.id AND d.status = 'pending' AND d.next_attempt_at <= now()
    ORDER BY d.next_attempt_at, d.id
    LIMIT GREATEST(0, ${$(2)} - (SELECT count(*) FROM webhook_deliveries x
                            WHERE x.target_id = t.id AND x.status = 'in_progress')${finished}
                        - (t.claimed_total - (SELECT s.claimed_total FROM webhook_targets s WHERE s.id = t.id)))
    FOR UPDATE OF d SKIP LOCKED
  ) p
  LIMIT ${$(1)}
), claimed AS (
  UPDATE webhook_deliveries d SET
    status = 'in_progress',
    attempt_count = d.attempt_count + 1,
    scheduled_attempt_count = d.scheduled_attempt_count + CASE WHEN d.manual_retry THEN 0 ELSE 1 END,
    lease_token = ${$(3)},
    lease_expires_at = now() + ${$(4)} * interval '1 millisecond',
    last_attempt_at = ${$(5)},
    updated_at = now()
  FROM webhook_targets t, webhook_events e
  WHERE d.id = ANY (ARRAY(SELECT id FROM picked)) AND t.id = d.target_id AND e.id = d.event_id
  RETURNING d.id, d.workspace_id, d.target_id, d.event_type, d.attempt_count, d.scheduled_attempt_count,
    d.manual_retry, d.resume_at, d.traceparent, t.url, t.version, t.secret_encrypted,
    ARRAY(SELECT s.secret_encrypted FROM webhook_target_retired_secrets s
          WHERE s.target_id = t.id AND s.expires_at > now() ORDER BY s.rotated_at DESC) AS retired_secrets_encrypted,
    e.message
), numbered AS (
  SELECT c.*, (${$(6)}::text[])[row_number() OVER ()] AS attempt_id FROM claimed c
), opened AS (
  INSERT INTO webhook_attempts (id, delivery_id, attempt_number, manual, target_version, started_at)
  SELECT attempt_id, id, attempt_count, manual_retry, version, ${$(5)} FROM numbered
), tallied AS (
  UPDATE webhook_targets t SET
    claimed_total = t.claimed_total + x.n,
    last_success_at = CASE WHEN x.recovered THEN now() ELSE t.last_success_at END,
    failing_since = CASE WHEN x.recovered THEN NULL ELSE t.failing_since END
  FROM ${touched} x
  WHERE t.id = x.id
)`;
}

/** The claim alone: $1 limit, $2 per-target limit, $3 lease token, $4 lease ms, $5 attempt start, $6 attempt ids. */
export const CLAIM_SQL = preparedStatement(
  'webhook_claim',
  `WITH ${claimCtes(0)}
SELECT * FROM numbered`,
);

/** $1: the most scheduled attempts a delivery may have. */
export const REAP_SQL = `
WITH expired AS (
  SELECT id FROM webhook_deliveries
  WHERE status = 'in_progress' AND lease_expires_at < now()
  LIMIT 500
  FOR UPDATE SKIP LOCKED
), reset AS (
  UPDATE webhook_deliveries d SET
    status = CASE
      WHEN d.manual_retry THEN CASE WHEN d.resume_at IS NULL THEN 'failed' ELSE 'pending' END
      WHEN d.scheduled_attempt_count >= $1 THEN 'failed'
      ELSE 'pending' END,
    next_attempt_at = CASE WHEN d.manual_retry THEN d.resume_at ELSE now() END,
    manual_retry = false,
    resume_at = NULL,
    lease_token = NULL,
    lease_expires_at = NULL,
    last_status_code = NULL,
    last_error = 'the dispatcher stopped during the attempt; its outcome is unknown',
    updated_at = now()
  FROM expired WHERE d.id = expired.id
  RETURNING d.id
)
UPDATE webhook_attempts a SET outcome = 'lost', error = 'the dispatcher stopped during the attempt; its outcome is unknown'
FROM reset WHERE a.delivery_id = reset.id AND a.outcome IS NULL
RETURNING reset.id`;
