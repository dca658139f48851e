export * from './platform.module';
export * from './start-app';
export * from './consumed-topics';
