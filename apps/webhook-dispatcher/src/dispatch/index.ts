export { DispatchModule } from './dispatch.module';
