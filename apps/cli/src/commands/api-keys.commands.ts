import type { Command } from 'commander';
import type { DataSource } from 'typeorm';
import { ApiKeysRepository, ApiKeysService, WorkspacesRepository } from '@app/auth';
import { ContractViolationError, parseWorkspaceId, type WorkspaceId } from '@app/contracts';
import { formatTable } from './format-table';

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
    .option('--workspace <name>', 'only this workspace (by name, as given to create)')
    .option('--workspace-id <id>', 'only this workspace (by id)')
    .option('--json', 'print one JSON object')
    .action((options: ListOptions) => withDatabase((ds) => listKeys(ds, options)));

  apiKeys
    .command('revoke <apiKeyId>')
    .description('Revoke an API key (takes effect on every replica within 5 s)')
    .option('--json', 'print one JSON object')
    .action((apiKeyId: string, options: { json?: boolean }) =>
      withDatabase(async (ds) => {
        const found = await apiKeysService(ds).revoke(apiKeyId);
        if (options.json) console.log(JSON.stringify({ apiKeyId, revoked: found }));
        if (found) {
          if (!options.json) console.log(`revoked ${apiKeyId}`);
          return;
        }
        console.error(`api-keys revoke: no API key with id ${apiKeyId} (see "api-keys list")`);
        process.exitCode = 1;
      }),
    );
}

interface ListOptions {
  workspace?: string;
  workspaceId?: string;
  json?: boolean;
}

async function listKeys(ds: DataSource, options: ListOptions): Promise<void> {
  const workspaces = new WorkspacesRepository(ds);
  let workspaceId: WorkspaceId | undefined;
  if (options.workspaceId !== undefined) {
    try {
      workspaceId = parseWorkspaceId(options.workspaceId, '--workspace-id');
    } catch (error) {
      if (!(error instanceof ContractViolationError)) throw error;
      console.error(`api-keys list: ${error.message}`);
      process.exitCode = 1;
      return;
    }
  }
  if (options.workspace !== undefined) {
    const workspace = await workspaces.findByName(options.workspace);
    if (!workspace) {
      console.error(`api-keys list: no workspace named "${options.workspace}"`);
      process.exitCode = 1;
      return;
    }
    workspaceId = workspace.id;
  }
  const keys = await apiKeysService(ds).list(workspaceId);
  const names = new Map(
    (await workspaces.findByIds([...new Set(keys.map((k) => k.workspaceId))])).map((w) => [w.id, w.name]),
  );
  const items = keys.map((k) => ({
    apiKeyId: k.id,
    workspaceId: k.workspaceId,
    workspaceName: names.get(k.workspaceId) ?? null,
    name: k.name,
    createdAt: k.createdAt.toISOString(),
    revokedAt: k.revokedAt?.toISOString() ?? null,
  }));
  if (options.json) {
    console.log(JSON.stringify({ items }));
    return;
  }
  const rows = [
    ['KEY ID', 'WORKSPACE', 'WORKSPACE ID', 'NAME', 'CREATED', 'STATUS'],
    ...items.map((k) => [
      k.apiKeyId,
      k.workspaceName ?? '',
      k.workspaceId,
      k.name,
      k.createdAt,
      k.revokedAt ? `revoked ${k.revokedAt}` : 'active',
    ]),
  ];
  console.log(formatTable(rows));
}
