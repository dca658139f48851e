/**
 * The PostgreSQL channel on which the projection announces timeline items it committed, for live streams on
 * any replica. One notification per customer and per chunk of ids: `<workspaceId>:<customerId>:<id>,<id>,…`.
 * Naming the items (rather than only the customer) lets a stream read exactly what landed, however late its
 * `createdAt` is (a projector catching up after an outage). NOTIFY is delivered at commit, so the items are
 * visible by the time a listener reads them.
 */
export const TIMELINE_CHANNEL = 'timeline';

/** 100 ids of ~30 characters stay far below NOTIFY's 8000-byte payload limit. */
const IDS_PER_NOTIFICATION = 100;

/**
 * The statement (a query, to be a CTE's body) that announces the items of `rows`, a relation with the columns
 * `id`, `workspace_id` and `customer_id`: one `pg_notify` per customer and chunk of ids.
 */
export function notifyTimelineSql(rows: string): string {
  return `
  SELECT pg_notify('${TIMELINE_CHANNEL}', workspace_id || ':' || customer_id || ':' || string_agg(id, ','))
  FROM (
    SELECT r.id, r.workspace_id, r.customer_id,
           (row_number() OVER (PARTITION BY r.workspace_id, r.customer_id ORDER BY r.id) - 1)
             / ${IDS_PER_NOTIFICATION} AS chunk
    FROM ${rows} AS r
  ) landed
  GROUP BY workspace_id, customer_id, chunk`;
}

export interface LandedItems {
  /** `<workspaceId>:<customerId>`: what a stream subscribes to. */
  streamKey: string;
  itemIds: string[];
}

export function timelineStreamKey(workspaceId: string, customerId: string): string {
  return `${workspaceId}:${customerId}`;
}

export function parseTimelineNotification(payload: string): LandedItems | undefined {
  const [workspaceId, customerId, ids, ...rest] = payload.split(':');
  if (!workspaceId || !customerId || !ids || rest.length > 0) return undefined;
  return { streamKey: timelineStreamKey(workspaceId, customerId), itemIds: ids.split(',') };
}
