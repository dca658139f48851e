export * from './wakeable-loop';
export * from './periodic-job';
export * from './at-most-every';
