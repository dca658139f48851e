export * from './error-serializer';
export * from './logger.module';
export * from './metrics';
export * from './bounded-label';
export * from './log-format';
