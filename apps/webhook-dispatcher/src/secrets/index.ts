export { SecretsModule } from './secrets.module';
export { SecretBox } from './secret-box';
export { generateSigningSecret, SIGNING_SECRET_PREFIX } from './signing-secret';
export { webhookEncryptionKey } from './encryption-key';
