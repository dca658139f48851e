/**
 * The physical tables one projection writes to. The live projector writes the tables the API reads; a rebuild
 * writes fresh `_rebuild` copies and swaps them in. Table names are never taken from input: only these two
 * constant sets exist, so SQL built from them cannot be injected.
 */
export interface ReadModelTables {
  readonly timeline: 'timeline_items' | 'timeline_items_rebuild';
  readonly directory: 'customer_directory' | 'customer_directory_rebuild';
  readonly tombstones: 'customer_tombstones' | 'customer_tombstones_rebuild';
  /** First key of the per-customer advisory locks, so a rebuild never waits on the live projector. */
  readonly lockNamespace: number;
}

export const LIVE_TABLES: ReadModelTables = Object.freeze({
  timeline: 'timeline_items',
  directory: 'customer_directory',
  tombstones: 'customer_tombstones',
  lockNamespace: 0x70726a00,
});

export const REBUILD_TABLES: ReadModelTables = Object.freeze({
  timeline: 'timeline_items_rebuild',
  directory: 'customer_directory_rebuild',
  tombstones: 'customer_tombstones_rebuild',
  lockNamespace: 0x70726a01,
});

export const READ_MODEL_TABLES = Symbol('READ_MODEL_TABLES');

const KNOWN = new Set<ReadModelTables>([LIVE_TABLES, REBUILD_TABLES]);

/** Repositories call this once, when they build their SQL: anything but the two constants is a bug. */
export function assertKnownTables(tables: ReadModelTables): ReadModelTables {
  if (!KNOWN.has(tables)) throw new Error('Read model tables must be LIVE_TABLES or REBUILD_TABLES');
  return tables;
}
