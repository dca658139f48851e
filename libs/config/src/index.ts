export * from './load-config';
export * from './common.env';
export * from './kafka-cluster.env';
export * from './gateway.env';
export * from './projector.env';
export * from './dispatcher.env';
export * from './cli.env';
export * from './config.tokens';
