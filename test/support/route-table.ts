import type { DynamicModule } from '@nestjs/common';
import { DispatcherEnv, GatewayEnv, loadConfig, ProjectorEnv } from '@app/config';
import { dropDatabase, ensureDatabase, openDataSource } from '@app/database';
import { createHttpApp } from '@app/http';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { ProjectorModule } from '../../apps/projector/src/projector.module';
import { DispatcherModule } from '../../apps/webhook-dispatcher/src/dispatcher.module';
import type { AppName } from './app-process';

export interface Route {
  app: AppName;
  method: string;
  /** Fastify's pattern, with the global prefix and `:params`. */
  url: string;
}

/**
 * Every HTTP route of the three apps, as Fastify registers them: each app is built in this process exactly as
 * its main.ts builds it (createHttpApp over its module) and initialised with an onRoute hook, so a route added
 * tomorrow, by a controller or straight on Fastify, is in the table without anyone listing it.
 *
 * The apps are given a throwaway database of their own (migrated, then dropped) and an unreachable broker, so
 * that their background work (consumers, the webhook worker) touches nothing of the test run.
 */
export async function discoverRoutes(): Promise<Route[]> {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = url.pathname.replace(/_test$/, '_routes_test');
  const databaseUrl = url.toString();
  await ensureDatabase(databaseUrl);
  const db = await openDataSource({ url: databaseUrl, poolSize: 1, applicationName: 'jest-routes' });
  await db.runMigrations({ transaction: 'each' });
  await db.destroy();
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '2',
    KAFKA_BROKERS: '127.0.0.1:1',
    LOG_LEVEL: 'silent',
    PROJECTOR_GROUP_ID: 'route-table',
    DISPATCHER_GROUP_ID: 'route-table',
  };
  const modules: Array<[AppName, DynamicModule]> = [
    ['gateway', GatewayModule.forRoot(loadConfig(GatewayEnv, env))],
    ['projector', ProjectorModule.forRoot(loadConfig(ProjectorEnv, env))],
    ['webhook-dispatcher', DispatcherModule.forRoot(loadConfig(DispatcherEnv, env))],
  ];
  const routes: Route[] = [];
  try {
    for (const [name, module] of modules) {
      const app = await createHttpApp(module, {
        configure: (nest) => {
          nest
            .getHttpAdapter()
            .getInstance()
            .addHook('onRoute', (route) => {
              for (const method of [route.method].flat())
                routes.push({ app: name, method, url: route.url ?? '' });
            });
        },
      });
      await app.init();
      await app.close();
    }
  } finally {
    await dropDatabase(databaseUrl).catch(() => undefined);
  }
  return routes;
}
