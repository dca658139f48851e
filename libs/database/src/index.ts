export * from './data-source';
export * from './database.module';
export * from './ensure-database';
export * from './delete-in-chunks';
export * from './pg-errors';
export * from './migrations';
export * from './pg-listener';
export * from './prepared-statement';
