export { CustomersModule } from './customers.module';
export { CustomerLookup } from './customer-lookup.service';
