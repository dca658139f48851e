import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { WorkspaceId } from '@app/contracts';
import { preparedStatement, queryPrepared, type PreparedStatement } from '@app/database';
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

/** One page of one customer's timeline, the customer named by its externalId; its workspace scopes the query. */
export interface TimelinePageQuery {
  workspaceId: WorkspaceId;
  externalId: string;
  limit: number;
  after?: TimelinePosition;
  types?: string[];
  excludeTypes?: string[];
  from?: string;
  to?: string;
}

/** The filters a page query may carry, in the order their parameters follow $1 (workspace) and $2 (externalId). */
const FILTERS = [
  { key: 'types', clause: (p: string) => `type = ANY(${p}::text[])` },
  { key: 'excludeTypes', clause: (p: string) => `type <> ALL(${p}::text[])` },
  { key: 'from', clause: (p: string) => `occurred_at >= ${p}` },
  { key: 'to', clause: (p: string) => `occurred_at < ${p}` },
] as const;

@Injectable()
export class TimelineRepository {
  /** One statement per combination of filters (at most 32), each prepared once per connection. */
  private readonly statements = new Map<string, PreparedStatement>();

  constructor(private readonly db: DataSource) {}

  /**
   * Keyset page in (occurredAt desc, id desc) order, served by timeline_items_by_customer; undefined when the
   * workspace has no customer with that externalId. The directory entry and the page are read by one statement
   * (one round trip, one plan): an agent's reads and live pages run it for every page they show.
   */
  async page(query: TimelinePageQuery): Promise<TimelineItem[] | undefined> {
    const params: unknown[] = [query.workspaceId, query.externalId];
    const where = ['workspace_id = d.workspace_id', 'customer_id = d.customer_id'];
    let shape = '';
    for (const filter of FILTERS) {
      const value = query[filter.key];
      const present = Array.isArray(value) ? value.length > 0 : value !== undefined;
      shape += present ? '1' : '0';
      if (!present) continue;
      params.push(value);
      where.push(filter.clause(`$${params.length}`));
    }
    shape += query.after ? '1' : '0';
    if (query.after) {
      params.push(query.after.occurredAt, query.after.id);
      where.push(`(occurred_at, id) < ($${params.length - 1}::timestamptz, $${params.length})`);
    }
    params.push(query.limit);
    const rows = await queryPrepared<TimelineItemRow | { id: null }>(
      this.db,
      this.statement(shape, where, params.length),
      params,
    );
    if (rows.length === 0) return undefined;
    // The customer exists with no item in the page: one row of nulls from the LEFT JOIN.
    if (rows[0].id === null) return [];
    return (rows as TimelineItemRow[]).map(toTimelineItem);
  }

  private statement(shape: string, where: string[], limitParam: number): PreparedStatement {
    let statement = this.statements.get(shape);
    if (!statement) {
      statement = preparedStatement(
        `projector_timeline_page_${shape}`,
        `SELECT t.id, t.type, t.title, t.payload, t.occurred_at, t.created_at
         FROM customer_directory d
         LEFT JOIN LATERAL (
           SELECT ${TIMELINE_ITEM_COLUMNS} FROM timeline_items
           WHERE ${where.join(' AND ')}
           ORDER BY occurred_at DESC, id DESC
           LIMIT $${limitParam}
         ) t ON true
         WHERE d.workspace_id = $1 AND d.external_id = $2`,
      );
      this.statements.set(shape, statement);
    }
    return statement;
  }
}
