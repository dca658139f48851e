export * from './traceparent';
export * from './trace-context';
export * from './http-tracing';
export * from './message-tracing';
