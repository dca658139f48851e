import type { DataSource } from 'typeorm';
import { CustomerChangesHandler } from './customer-changes.handler';
import { CustomerEventsHandler } from './customer-events.handler';
import { CustomerLocks } from './customer-locks';
import { DirectoryWritesRepository } from './directory-writes.repository';
import type { ReadModelTables } from './read-model-tables';
import { TimelineWritesRepository } from './timeline-writes.repository';

/** The projection's handlers writing to one set of tables, outside Nest (the rebuild command). */
export function projectionHandlers(db: DataSource, tables: ReadModelTables) {
  const locks = new CustomerLocks(tables);
  const timeline = new TimelineWritesRepository(tables);
  return {
    events: new CustomerEventsHandler(db, locks, timeline),
    changes: new CustomerChangesHandler(db, locks, new DirectoryWritesRepository(tables), timeline),
  };
}
