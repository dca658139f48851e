import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TimelineItem } from '../timeline';
import type { LivePosition } from './live-position';

interface Row {
  id: string;
  type: string;
  title: string | null;
  payload: Record<string, unknown>;
  occurred_at: Date;
  created_at: Date;
}

const COLUMNS = 'id, type, title, payload, occurred_at, created_at';

function toItem(row: Row): TimelineItem {
  return {
    id: row.id,
    type: row.type,
    title: row.title,
    payload: row.payload,
    occurredAt: row.occurred_at.toISOString(),
    createdAt: row.created_at.toISOString(),
  };
}

/** What live streams read: the items a notification named, or those created after a resumed position. */
@Injectable()
export class LiveTimelineRepository {
  constructor(private readonly db: DataSource) {}

  /** The named items that belong to this customer (ids of other customers or workspaces are ignored). */
  async byIds(workspaceId: string, customerId: string, ids: string[]): Promise<TimelineItem[]> {
    const rows: Row[] = await this.db.query(
      `SELECT ${COLUMNS} FROM timeline_items
       WHERE workspace_id = $1 AND customer_id = $2 AND id = ANY($3::text[])
       ORDER BY created_at, id`,
      [workspaceId, customerId, ids],
    );
    return rows.map(toItem);
  }

  /** Items created after `position`, oldest first. Served by the per-customer index (then filtered). */
  async createdAfter(
    workspaceId: string,
    customerId: string,
    position: LivePosition,
    limit: number,
  ): Promise<TimelineItem[]> {
    const rows: Row[] = await this.db.query(
      `SELECT ${COLUMNS} FROM timeline_items
       WHERE workspace_id = $1 AND customer_id = $2 AND (created_at, id) > ($3::timestamptz, $4)
       ORDER BY created_at, id
       LIMIT $5`,
      [workspaceId, customerId, position.createdAt, position.id, limit],
    );
    return rows.map(toItem);
  }
}
