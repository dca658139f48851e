/** The dispatcher's shared vocabulary (lowest layer): webhook versions and event types, paging, SQL rows, errors. */
export * from './page-cursor';
export * from './page-query.dto';
export * from './sql';
export * from './webhook-versions';
export * from './webhook.errors';
