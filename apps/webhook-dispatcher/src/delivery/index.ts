export { DeliveryModule } from './delivery.module';
export type { ClassifiedAttempt, NextDeliveryState, SentRequest } from './attempt-result';
export { AttemptResultsRepository, type SlotRefill } from './attempt-results.repository';
export { AttemptsDue } from './attempts-due.signal';
export { type ClaimedAttempt, DeliveryClaimsRepository } from './delivery-claims.repository';
export { DeliveryIntakeRepository } from './delivery-intake.repository';
export { exampleCustomerUpdate } from './example-change';
