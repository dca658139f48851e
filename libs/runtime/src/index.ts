export * from './wakeable-loop';
export * from './periodic-job';
