import type { Command } from 'commander';
import type { DataSource } from 'typeorm';
import { ApiKeysRepository, ApiKeysService, WorkspacesRepository } from '@app/auth';

export function apiKeysService(dataSource: DataSource): ApiKeysService {
  return new ApiKeysService(new ApiKeysRepository(dataSource), new WorkspacesRepository(dataSource));
}

export function registerApiKeyCommands(
  program: Command,
  withDatabase: <T>(work: (ds: DataSource) => Promise<T>) => Promise<T>,
) {
  const apiKeys = program.command('api-keys').description('Workspaces and their API keys (machine users)');

  apiKeys
    .command('create')
    .description('Create an API key (and the workspace when the name is new); the key is shown once')
    .requiredOption('--workspace <name>', 'workspace name')
    .option('--name <name>', 'a label for the key', 'default')
    .option('--json', 'print one JSON object')
    .action((options: { workspace: string; name: string; json?: boolean }) =>
      withDatabase(async (ds) => {
        const created = await apiKeysService(ds).create(options.workspace, options.name);
        if (options.json) console.log(JSON.stringify(created));
        else {
          console.log(`workspace: ${created.workspaceId}`);
          console.log(`key id:    ${created.apiKeyId}`);
          console.log(`api key:   ${created.apiKey}   (shown once: store it now)`);
        }
      }),
    );

  apiKeys
    .command('list')
    .description('List API keys (never their secrets)')
    .option('--workspace-id <id>', 'only this workspace')
    .option('--json', 'print one JSON object')
    .action((options: { workspaceId?: string; json?: boolean }) =>
      withDatabase(async (ds) => {
        const keys = await apiKeysService(ds).list(options.workspaceId);
        const items = keys.map((k) => ({
          apiKeyId: k.id,
          workspaceId: k.workspaceId,
          name: k.name,
          createdAt: k.createdAt.toISOString(),
          revokedAt: k.revokedAt?.toISOString() ?? null,
        }));
        if (options.json) console.log(JSON.stringify({ items }));
        else
          for (const k of items)
            console.log(
              `${k.apiKeyId}  ${k.workspaceId}  ${k.name}  ${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}`,
            );
      }),
    );

  apiKeys
    .command('revoke <apiKeyId>')
    .description('Revoke an API key (takes effect on every replica within 5 s)')
    .option('--json', 'print one JSON object')
    .action((apiKeyId: string, options: { json?: boolean }) =>
      withDatabase(async (ds) => {
        const found = await apiKeysService(ds).revoke(apiKeyId);
        if (options.json) console.log(JSON.stringify({ apiKeyId, revoked: found }));
        else console.log(found ? `revoked ${apiKeyId}` : `no key ${apiKeyId}`);
        if (!found) process.exitCode = 1;
      }),
    );
}
