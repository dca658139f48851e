import { Module } from '@nestjs/common';
import { APP_CONFIG, type DispatcherEnv } from '@app/config';
import { WebhookHttpClient } from './webhook-http.client';

/** Outbound HTTP to webhook targets, refusing private, loopback and link-local addresses at connect time. */
@Module({
  providers: [
    {
      provide: WebhookHttpClient,
      useFactory: (config: DispatcherEnv) =>
        new WebhookHttpClient({
          timeoutMs: config.WEBHOOK_TIMEOUT_MS,
          allowPrivateTargets: config.WEBHOOK_ALLOW_PRIVATE_TARGETS,
          connectionsPerOrigin: config.WEBHOOK_MAX_CONCURRENCY,
        }),
      inject: [APP_CONFIG],
    },
  ],
  exports: [WebhookHttpClient],
})
export class NetModule {}
