import { type DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import { CustomerChangesHandler } from './customer-changes.handler';
import { CustomerEventsHandler } from './customer-events.handler';
import { CustomerLocks } from './customer-locks';
import { DirectoryWritesRepository } from './directory-writes.repository';
import { ProjectionController } from './projection.controller';
import { READ_MODEL_TABLES, type ReadModelTables } from './read-model-tables';
import { TimelineWritesRepository } from './timeline-writes.repository';

/**
 * The projection: its `@EventPattern` controller and the writers behind it, over one set of tables. The live
 * projector mounts it on LIVE_TABLES; `projector rebuild` boots it alone, on REBUILD_TABLES with its own
 * consumer group. It needs a `DataSource` and `KnownWorkspaces`, from the app or from `host`.
 */
@Module({})
export class ProjectionModule {
  static forTables(
    tables: ReadModelTables,
    host: Pick<ModuleMetadata, 'imports' | 'providers'> = {},
  ): DynamicModule {
    return {
      module: ProjectionModule,
      imports: host.imports ?? [],
      controllers: [ProjectionController],
      providers: [
        ...(host.providers ?? []),
        { provide: READ_MODEL_TABLES, useValue: tables },
        CustomerLocks,
        DirectoryWritesRepository,
        TimelineWritesRepository,
        CustomerEventsHandler,
        CustomerChangesHandler,
      ],
    };
  }
}
