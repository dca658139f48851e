import type { DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { CommonEnv } from '@app/config';
import { startHttpApp } from '@app/http';
import { type OpenApiOptions, setupOpenApi } from '@app/http/openapi';
import { serveStaticUi } from '@app/http/static-ui';
import { KafkaBatchServer } from '@app/kafka';

/** What one app's main.ts says about itself; the rest of the start is the same for all three. */
export interface AppStart {
  port: number;
  /** Title and description of its OpenAPI document (Swagger UI at /docs). */
  openApi: OpenApiOptions;
  /** The folder of its static pages, served at /ui/. */
  staticUi?: string;
  /** The bound on request body bytes held at once (see `HttpAppOptions.maxRequestBytesInFlight`). */
  maxRequestBytesInFlight?: number;
  /** Starts its consumer group (`PlatformModule`'s `consumerGroup`) alongside HTTP: a hybrid app. */
  consumes?: boolean;
  /** The app's own setup of its Fastify instance, once its providers exist and before its routes are added. */
  configure?: (app: NestFastifyApplication) => void;
}

/** Creates the app over its root module, listens, and installs graceful shutdown (see `startHttpApp`). */
export function startApp(
  module: DynamicModule,
  config: CommonEnv,
  app: AppStart,
): Promise<NestFastifyApplication> {
  return startHttpApp(module, {
    port: app.port,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    timeouts: config,
    maxRequestBytesInFlight: app.maxRequestBytesInFlight,
    unprefixed: ['docs'],
    microservices: app.consumes ? [KafkaBatchServer] : [],
    configure: (nest) => {
      setupOpenApi(nest, app.openApi);
      if (app.staticUi) serveStaticUi(nest, app.staticUi);
      app.configure?.(nest);
    },
  });
}
