import { Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { CustomersModule } from '../customers';
import { IdempotencyModule } from '../idempotency';
import { RateLimitModule } from '../rate-limit';
import { CustomerEventPublisher } from './customer-event.publisher';
import { CustomerEventsController } from './customer-events.controller';
import { CustomerEventsService } from './customer-events.service';
import { EventIngestion } from './event-ingestion.service';
import { IngestFastPath } from './ingest-fast-path';

/** Ingest: POST /customer-events and /customer-events/batch → customer-events.v1 (lookup, build, publish). */
@Module({
  imports: [AuthModule, CustomersModule, IdempotencyModule, RateLimitModule],
  controllers: [CustomerEventsController],
  providers: [CustomerEventPublisher, CustomerEventsService, EventIngestion, IngestFastPath],
})
export class CustomerEventsModule {}
