import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { WorkspaceId } from '@app/contracts';
import type { TimelinePosition } from './timeline-cursor';
import { TIMELINE_ITEM_COLUMNS, type TimelineItemRow, toTimelineItem } from './timeline-item-rows';

export interface TimelineItem {
  id: string;
  type: string;
  title: string | null;
  payload: Record<string, unknown>;
  occurredAt: string;
  createdAt: string;
}

/** One page of one customer's timeline; its workspace scopes the query. */
export interface TimelinePageQuery {
  workspaceId: WorkspaceId;
  customerId: string;
  limit: number;
  after?: TimelinePosition;
  types?: string[];
  excludeTypes?: string[];
  from?: string;
  to?: string;
}

@Injectable()
export class TimelineRepository {
  constructor(private readonly db: DataSource) {}

  /** Keyset page in (occurredAt desc, id desc) order; served by timeline_items_by_customer. */
  async page(query: TimelinePageQuery): Promise<TimelineItem[]> {
    const params: unknown[] = [query.workspaceId, query.customerId];
    const where = ['workspace_id = $1', 'customer_id = $2'];
    const add = (clause: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    if (query.types?.length) add((p) => `type = ANY(${p}::text[])`, query.types);
    if (query.excludeTypes?.length) add((p) => `type <> ALL(${p}::text[])`, query.excludeTypes);
    if (query.from) add((p) => `occurred_at >= ${p}`, query.from);
    if (query.to) add((p) => `occurred_at < ${p}`, query.to);
    if (query.after) {
      params.push(query.after.occurredAt, query.after.id);
      where.push(`(occurred_at, id) < ($${params.length - 1}::timestamptz, $${params.length})`);
    }
    params.push(query.limit);
    const rows: TimelineItemRow[] = await this.db.query(
      `SELECT ${TIMELINE_ITEM_COLUMNS} FROM timeline_items
       WHERE ${where.join(' AND ')}
       ORDER BY occurred_at DESC, id DESC
       LIMIT $${params.length}`,
      params,
    );
    return rows.map(toTimelineItem);
  }
}
