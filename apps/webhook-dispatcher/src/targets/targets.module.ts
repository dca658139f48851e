import { Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { SecretsModule } from '../secrets';
import { TargetUrlPolicy } from './target-url.policy';
import { WebhookTargetsController } from './webhook-targets.controller';
import { WebhookTargetsRepository } from './webhook-targets.repository';
import { WebhookTargetsService } from './webhook-targets.service';

/** Webhook targets: their API (create, list, update, rotate, delete) and their table. */
@Module({
  imports: [AuthModule, SecretsModule],
  controllers: [WebhookTargetsController],
  providers: [TargetUrlPolicy, WebhookTargetsRepository, WebhookTargetsService],
  exports: [WebhookTargetsRepository],
})
export class TargetsModule {}
