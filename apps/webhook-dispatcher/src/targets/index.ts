export { TargetsModule } from './targets.module';
export type { WebhookTarget } from './webhook-target';
export { WebhookTargetsRepository } from './webhook-targets.repository';
