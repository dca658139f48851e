import 'reflect-metadata';
import { join } from 'node:path';
import { loadConfigOrExit, ProjectorEnv } from '@app/config';
import { startHttpApp } from '@app/http';
import { serveStaticUi } from '@app/http/static-ui';
import { ProjectorModule } from './projector.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit(ProjectorEnv);
  await startHttpApp(ProjectorModule.forRoot(config), {
    port: config.PROJECTOR_PORT,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    timeouts: config,
    configure: (app) => serveStaticUi(app, join(__dirname, 'ui', 'public')),
  });
}

void main();
