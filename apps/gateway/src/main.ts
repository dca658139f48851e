import 'reflect-metadata';
import { GatewayEnv, loadConfigOrExit } from '@app/config';
import { startHttpApp } from '@app/http';
import { GatewayModule } from './gateway.module';
import { setupGatewayOpenApi } from './openapi/setup-openapi';

async function main(): Promise<void> {
  const config = loadConfigOrExit(GatewayEnv);
  await startHttpApp(GatewayModule.forRoot(config), {
    port: config.GATEWAY_PORT,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    timeouts: config,
    unprefixed: ['docs'],
    configure: setupGatewayOpenApi,
  });
}

void main();
