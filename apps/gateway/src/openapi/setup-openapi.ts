import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** OpenAPI document generated from the DTOs, with Swagger UI at /docs. */
export function setupOpenApi(app: NestFastifyApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('supportdesk-events gateway')
      .setDescription(
        'Customer events ingest and the customers write side. Every answer is an envelope: ' +
          '`{ success: true, data, timestamp }` or `{ success: false, error: { code, message, details }, timestamp }`. ' +
          'When rate limiting is on, the event routes send RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset.',
      )
      .setVersion('1')
      .addApiKey({ type: 'apiKey', name: 'X-API-Key', in: 'header' }, 'api-key')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
}
