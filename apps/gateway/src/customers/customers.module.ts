import { Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { CustomerLookup } from './customer-lookup.service';
import { CustomersController } from './customers.controller';
import { CustomersRepository } from './customers.repository';
import { CustomersService } from './customers.service';
import { OutboxRelay } from './outbox/outbox-relay.service';
import { OutboxRepository } from './outbox/outbox.repository';

/**
 * Customers, the write side: their API and table, each change written to the outbox in the same transaction
 * and relayed to customer-changes.v1; and `CustomerLookup` (externalId → id) for ingestion.
 */
@Module({
  imports: [AuthModule],
  controllers: [CustomersController],
  providers: [CustomerLookup, CustomersRepository, CustomersService, OutboxRepository, OutboxRelay],
  exports: [CustomerLookup],
})
export class CustomersModule {}
