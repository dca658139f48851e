export { LagModule } from './lag.module';
export { ProjectionLagHeaderMiddleware } from './projection-lag-header.middleware';
