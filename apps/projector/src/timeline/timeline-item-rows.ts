/**
 * A timeline_items row as the read repositories select it, and its one mapper to the domain's TimelineItem
 * (timeline.repository.ts; its shape is inferred here, so the two files do not import each other). Only the
 * repositories reading timeline_items (the API's pages, the live streams) import this file.
 */
export interface TimelineItemRow {
  id: string;
  type: string;
  title: string | null;
  payload: Record<string, unknown>;
  occurred_at: Date;
  created_at: Date;
}

export const TIMELINE_ITEM_COLUMNS = 'id, type, title, payload, occurred_at, created_at';

export function toTimelineItem(row: TimelineItemRow) {
  return {
    id: row.id,
    type: row.type,
    title: row.title,
    payload: row.payload,
    occurredAt: row.occurred_at.toISOString(),
    createdAt: row.created_at.toISOString(),
  };
}
