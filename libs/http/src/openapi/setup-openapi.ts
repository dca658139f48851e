import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export interface OpenApiOptions {
  title: string;
  description: string;
}

const ENVELOPE_NOTE =
  'Every answer is an envelope: `{ success: true, data, timestamp }` or ' +
  '`{ success: false, error: { code, message, details }, timestamp }`.';

/** The app's OpenAPI document, generated from its controllers and DTOs: Swagger UI at /docs, JSON at /docs/openapi.json. */
export function setupOpenApi(app: NestFastifyApplication, options: OpenApiOptions): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(options.title)
      .setDescription(`${options.description} ${ENVELOPE_NOTE}`)
      .setVersion('1')
      .addApiKey({ type: 'apiKey', name: 'X-API-Key', in: 'header' }, 'api-key')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
}
