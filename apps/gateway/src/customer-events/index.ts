export { CustomerEventsModule } from './customer-events.module';
export { IngestFastPath } from './ingest-fast-path';
