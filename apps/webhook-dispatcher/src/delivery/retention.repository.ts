import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { deleteInChunks } from '@app/database';

/** Rows deleted per statement, so that a first purge of a large backlog never holds long locks. */
const CHUNK = 5000;

export interface PurgeResult {
  deliveries: number;
  events: number;
}

/**
 * Retention of the delivery log, across workspaces (maintenance: the age rule is the same for all). Finished deliveries (succeeded or failed) older than the retention go with
 * their attempts (ON DELETE CASCADE); then the events that no delivery refers to any more. Pending and
 * in-progress deliveries are never touched, whatever their age, nor the events they need.
 */
@Injectable()
export class RetentionRepository {
  constructor(private readonly db: DataSource) {}

  async purgeAcrossWorkspaces(retentionDays: number): Promise<PurgeResult> {
    const deliveries = await deleteInChunks(
      this.db,
      `DELETE FROM webhook_deliveries WHERE id IN (
         SELECT id FROM webhook_deliveries
         WHERE status IN ('succeeded', 'failed') AND updated_at < now() - $1 * interval '1 day'
         LIMIT ${CHUNK}
         FOR UPDATE SKIP LOCKED)`,
      CHUNK,
      [retentionDays],
    );
    const events = await deleteInChunks(
      this.db,
      `DELETE FROM webhook_events WHERE id IN (
         SELECT e.id FROM webhook_events e
         WHERE e.received_at < now() - $1 * interval '1 day'
           AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id)
         LIMIT ${CHUNK}
         FOR UPDATE SKIP LOCKED)`,
      CHUNK,
      [retentionDays],
    );
    return { deliveries, events };
  }
}
