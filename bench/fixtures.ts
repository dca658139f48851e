import { ApiKeysRepository, ApiKeysService, type CreatedApiKey, WorkspacesRepository } from '@app/auth';
import { newId } from '@app/contracts';
import { openDataSource } from '@app/database';
import { externalIdOf } from './event-payloads';
import type { Sandbox } from './sandbox';

/** A workspace and an API key in the sandbox's database, made the way the CLI makes them. */
export async function createApiKey(sandbox: Sandbox): Promise<CreatedApiKey> {
  const dataSource = await openDataSource({
    url: sandbox.databaseUrl,
    poolSize: 1,
    applicationName: 'bench-fixtures',
  });
  try {
    const service = new ApiKeysService(
      new ApiKeysRepository(dataSource),
      new WorkspacesRepository(dataSource),
    );
    return await service.create(`bench-${sandbox.id}`);
  } finally {
    await dataSource.destroy();
  }
}

/**
 * `count` customers `<prefix>000000…` straight into the gateway's `customers` table, in one statement: the
 * ingest scenarios only need the gateway to resolve them. Returns externalId → customerId.
 */
export async function insertCustomers(
  sandbox: Sandbox,
  key: CreatedApiKey,
  prefix: string,
  count: number,
): Promise<Map<string, string>> {
  const externalIds = Array.from({ length: count }, (_, n) => externalIdOf(prefix, n));
  const ids = externalIds.map(() => newId('c'));
  const actor = JSON.stringify({ actorType: 'machineUser', machineUserId: key.apiKeyId });
  await sandbox.query(
    `INSERT INTO customers (id, workspace_id, external_id, email, full_name, created_at, created_by,
                            updated_at, updated_by, version)
     SELECT t.id, $3, t.external_id, t.external_id || '@bench.example.com', 'Bench ' || t.external_id,
            now(), $4::jsonb, now(), $4::jsonb, 1
     FROM unnest($1::text[], $2::text[]) AS t(id, external_id)`,
    [ids, externalIds, key.workspaceId, actor],
  );
  return new Map(externalIds.map((externalId, i) => [externalId, ids[i]]));
}

/** Creates customers through `PUT /customers/{externalId}` (so they reach the projector's directory too). */
export async function putCustomers(
  gatewayUrl: string,
  apiKey: string,
  externalIds: string[],
  concurrency = 8,
): Promise<void> {
  const queue = [...externalIds];
  const worker = async () => {
    for (let externalId = queue.shift(); externalId; externalId = queue.shift()) {
      const response = await fetch(`${gatewayUrl}/api/v1/customers/${externalId}`, {
        method: 'PUT',
        headers: { 'X-API-Key': apiKey, 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: `${externalId}@bench.example.com`, fullName: `Bench ${externalId}` }),
      });
      if (response.status !== 201 && response.status !== 200)
        throw new Error(`PUT customer ${externalId}: ${response.status} ${await response.text()}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Registers a webhook target on the dispatcher; answers its id. */
export async function createWebhookTarget(
  dispatcherUrl: string,
  apiKey: string,
  url: string,
  eventTypes: string[],
): Promise<string> {
  const response = await fetch(`${dispatcherUrl}/api/v1/webhook-targets`, {
    method: 'POST',
    headers: { 'X-API-Key': apiKey, 'Content-Type': 'application/json' },
    body: JSON.stringify({ url, eventTypes, description: 'bench receiver' }),
  });
  const body = (await response.json()) as { data?: { id: string } };
  if (response.status !== 201 || !body.data) throw new Error(`create target: ${response.status}`);
  return body.data.id;
}
