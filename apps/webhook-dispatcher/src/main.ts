import 'reflect-metadata';
import { installFastAsyncResourceBind } from '@app/http/fast-async-resource-bind';
import { join } from 'node:path';
import { DispatcherEnv, loadConfigOrExit } from '@app/config';
import { startApp } from '@app/platform';
import { DispatcherModule } from './dispatcher.module';

// Process-wide, so stated here: Node 20's AsyncResource.prototype.bind without the util.deprecate wrappers
// it builds on every call (DEP0172). Measured: 4.6 % of the gateway's CPU samples; with the pooled trace ids,
// ingest-single 987–1,015 → 1,151 req/s (bench/README.md, change 7).
installFastAsyncResourceBind();

const config = loadConfigOrExit(DispatcherEnv);
void startApp(DispatcherModule.forRoot(config), config, {
  port: config.DISPATCHER_PORT,
  openApi: {
    title: 'supportdesk-events webhook dispatcher',
    description:
      'Webhook targets (Plain-compatible, versioned, signed), their delivery logs, retries, tests and recovery.',
  },
  staticUi: join(__dirname, 'ui', 'public'),
  consumes: true,
});
