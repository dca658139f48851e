import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { setupOpenApi } from '@app/http/openapi';

export function setupGatewayOpenApi(app: NestFastifyApplication): void {
  setupOpenApi(app, {
    title: 'supportdesk-events gateway',
    description:
      'Customer events ingest and the customers write side. ' +
      'When rate limiting is on, the event routes send RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset.',
  });
}
