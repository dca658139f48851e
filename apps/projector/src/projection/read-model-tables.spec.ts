import { assertKnownTables, LIVE_TABLES, REBUILD_TABLES, type ReadModelTables } from './read-model-tables';

describe('read model tables', () => {
  it('accepts only the live and the rebuild sets, so no other name can reach the SQL', () => {
    expect(assertKnownTables(LIVE_TABLES)).toBe(LIVE_TABLES);
    expect(assertKnownTables(REBUILD_TABLES)).toBe(REBUILD_TABLES);
    const forged = {
      ...LIVE_TABLES,
      timeline: 'timeline_items; DROP TABLE api_keys',
    } as unknown as ReadModelTables;
    expect(() => assertKnownTables(forged)).toThrow();
  });

  it('gives the rebuild its own lock namespace, so it never waits on the live projector', () => {
    expect(REBUILD_TABLES.lockNamespace).not.toBe(LIVE_TABLES.lockNamespace);
  });
});
