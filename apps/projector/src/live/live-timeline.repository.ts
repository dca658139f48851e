import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { WorkspaceId } from '@app/contracts';
import { TIMELINE_ITEM_COLUMNS, type TimelineItem, type TimelineItemRow, toTimelineItem } from '../timeline';
import type { LivePosition } from './live-position';

/** What live streams read: the items a notification named, or those created after a resumed position. */
@Injectable()
export class LiveTimelineRepository {
  constructor(private readonly db: DataSource) {}

  /** The named items that belong to this customer (ids of other customers or workspaces are ignored). */
  async byIds(workspaceId: WorkspaceId, customerId: string, ids: string[]): Promise<TimelineItem[]> {
    const rows: TimelineItemRow[] = await this.db.query(
      `SELECT ${TIMELINE_ITEM_COLUMNS} FROM timeline_items
       WHERE workspace_id = $1 AND customer_id = $2 AND id = ANY($3::text[])
       ORDER BY created_at, id`,
      [workspaceId, customerId, ids],
    );
    return rows.map(toTimelineItem);
  }

  /** Items created after `position`, oldest first. Served by the per-customer index (then filtered). */
  async createdAfter(
    workspaceId: WorkspaceId,
    customerId: string,
    position: LivePosition,
    limit: number,
  ): Promise<TimelineItem[]> {
    const rows: TimelineItemRow[] = await this.db.query(
      `SELECT ${TIMELINE_ITEM_COLUMNS} FROM timeline_items
       WHERE workspace_id = $1 AND customer_id = $2 AND (created_at, id) > ($3::timestamptz, $4)
       ORDER BY created_at, id
       LIMIT $5`,
      [workspaceId, customerId, position.createdAt, position.id, limit],
    );
    return rows.map(toTimelineItem);
  }
}
