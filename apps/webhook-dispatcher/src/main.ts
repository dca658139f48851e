import 'reflect-metadata';
import { join } from 'node:path';
import { DispatcherEnv, loadConfigOrExit } from '@app/config';
import { startHttpApp } from '@app/http';
import { KafkaBatchServer } from '@app/kafka';
import { setupOpenApi } from '@app/http/openapi';
import { serveStaticUi } from '@app/http/static-ui';
import { DispatcherModule } from './dispatcher.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit(DispatcherEnv);
  await startHttpApp(DispatcherModule.forRoot(config), {
    port: config.DISPATCHER_PORT,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    timeouts: config,
    unprefixed: ['docs'],
    microservices: [KafkaBatchServer],
    configure: (app) => {
      setupOpenApi(app, {
        title: 'supportdesk-events webhook dispatcher',
        description:
          'Webhook targets (Plain-compatible, versioned, signed), their delivery logs, retries, tests and recovery.',
      });
      serveStaticUi(app, join(__dirname, 'ui', 'public'));
    },
  });
}

void main();
