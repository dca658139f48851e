import 'reflect-metadata';
import { Command } from 'commander';
import type { DataSource } from 'typeorm';
import { CliEnv, loadConfigOrExit } from '@app/config';
import { openDataSource } from '@app/database';
import {
  registerApiKeyCommands,
  registerImportCommand,
  registerInfraCommands,
  registerProjectorCommands,
} from './commands';
import { packageVersion } from './package-version';

const config = () => loadConfigOrExit(CliEnv);

async function withDatabase<T>(work: (dataSource: DataSource) => Promise<T>): Promise<T> {
  const dataSource = await openDataSource({
    url: config().DATABASE_URL,
    poolSize: 2,
    applicationName: 'supportdesk-cli',
  });
  try {
    return await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

const program = new Command('supportdesk')
  .description('supportdesk-events operations')
  .version(packageVersion(), '-V, --version', 'print the version');
registerApiKeyCommands(program, withDatabase);
registerInfraCommands(program, config);
registerProjectorCommands(program);
// eslint-disable-next-line no-restricted-syntax -- the import tool reads its key like any API client would
registerImportCommand(program, process.env);

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
