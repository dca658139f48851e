import { Logger, Module } from '@nestjs/common';
import { APP_CONFIG, type DispatcherEnv } from '@app/config';
import { webhookEncryptionKey } from './encryption-key';
import { SecretBox } from './secret-box';

function secretBox(config: DispatcherEnv): SecretBox {
  const { key, insecure } = webhookEncryptionKey(config);
  if (insecure) {
    new Logger('WebhookSecrets').warn(
      'WEBHOOK_SECRET_ENCRYPTION_KEY is not set: webhook secrets are sealed with the public development key',
    );
  }
  return new SecretBox(key);
}

/** Signing secrets: generated, sealed at rest with WEBHOOK_SECRET_ENCRYPTION_KEY, opened to sign. */
@Module({
  providers: [{ provide: SecretBox, useFactory: secretBox, inject: [APP_CONFIG] }],
  exports: [SecretBox],
})
export class SecretsModule {}
