export * from './api-responses.decorators';
export * from './error-envelope.schema';
export * from './health.schemas';
export * from './setup-openapi';
export * from './customer.response';
export * from './event-item.response';
export type * from './same-shape';
