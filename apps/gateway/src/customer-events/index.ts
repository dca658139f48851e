export { CustomerEventsModule } from './customer-events.module';
