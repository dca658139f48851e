import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { WorkspaceId } from '@app/contracts';

export interface TimelineTypeCount {
  type: string;
  count: number;
}

/** A customer has a handful of types in practice; the list is capped so a pathological producer stays cheap. */
export const MAX_TIMELINE_TYPES = 500;

@Injectable()
export class TimelineTypesRepository {
  constructor(private readonly db: DataSource) {}

  /** How many items of each type one customer's timeline holds, most frequent first (served by its index). */
  async counts(workspaceId: WorkspaceId, customerId: string): Promise<TimelineTypeCount[]> {
    return this.db.query(
      `SELECT type, count(*)::int AS count FROM timeline_items
       WHERE workspace_id = $1 AND customer_id = $2
       GROUP BY type ORDER BY count DESC, type
       LIMIT ${MAX_TIMELINE_TYPES}`,
      [workspaceId, customerId],
    );
  }
}
