export { NetModule } from './net.module';
export { ipLiteralOf, isForbiddenAddress } from './address-policy';
export { resolveAll } from './guarded-lookup';
export { type SendResult, WebhookHttpClient } from './webhook-http.client';
