import { Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { TargetsModule } from '../targets';
import { AttemptResultsRepository } from './attempt-results.repository';
import { AttemptsDue } from './attempts-due.signal';
import { ChangeIntakeController } from './change-intake.controller';
import { CustomerChangesHandler } from './customer-changes.handler';
import { DeliveriesController } from './deliveries.controller';
import { DeliveriesRepository } from './deliveries.repository';
import { DeliveriesService } from './deliveries.service';
import { DeliveryClaimsRepository } from './delivery-claims.repository';
import { DeliveryIntakeRepository } from './delivery-intake.repository';
import { ExampleDeliveriesRepository } from './example-deliveries.repository';
import { RetentionPurger } from './retention-purger.service';
import { RetentionRepository } from './retention.repository';

/**
 * The delivery queue and its log: intake of customer changes (the consumer group's handler), the queue's
 * claims and results (used by the dispatch feature), the delivery log API, retries and recovery, retention.
 * It raises `AttemptsDue` when attempts become due; it knows nothing of who sends them.
 */
@Module({
  imports: [AuthModule, TargetsModule],
  controllers: [DeliveriesController, ChangeIntakeController],
  providers: [
    AttemptsDue,
    DeliveryIntakeRepository,
    DeliveryClaimsRepository,
    AttemptResultsRepository,
    DeliveriesRepository,
    ExampleDeliveriesRepository,
    DeliveriesService,
    CustomerChangesHandler,
    RetentionRepository,
    RetentionPurger,
  ],
  exports: [AttemptsDue, DeliveryClaimsRepository, AttemptResultsRepository],
})
export class DeliveryModule {}
