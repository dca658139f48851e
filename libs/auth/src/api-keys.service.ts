import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { newId, type WorkspaceId } from '@app/contracts';
import { generateApiKey, parseApiKey, secretMatches } from './api-key';
import { type ApiKey, ApiKeysRepository } from './api-keys.repository';
import { type AuthContext, machineUserActor } from './auth-context';
import { WorkspacesRepository } from './workspaces.repository';

export interface CreatedApiKey {
  workspaceId: WorkspaceId;
  apiKeyId: string;
  /** Shown once; only its hash is stored. */
  apiKey: string;
}

/**
 * How long a verified key is trusted without asking the database again. Revocation therefore takes effect
 * within this delay on every replica; it keeps key checks off the database on the hot path.
 */
export const API_KEY_CACHE_TTL_MS = 5000;

@Injectable()
export class ApiKeysService {
  private readonly verified = new LRUCache<string, AuthContext | false>({
    max: 10000,
    ttl: API_KEY_CACHE_TTL_MS,
  });

  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly workspaces: WorkspacesRepository,
  ) {}

  async create(workspaceName: string, keyName = 'default'): Promise<CreatedApiKey> {
    const { workspace } = await this.workspaces.findOrCreate(workspaceName);
    const apiKeyId = newId('mu');
    const { apiKey, secretHash } = generateApiKey(apiKeyId);
    await this.keys.insert({ id: apiKeyId, workspaceId: workspace.id, name: keyName, secretHash });
    return { workspaceId: workspace.id, apiKeyId, apiKey };
  }

  /** One workspace's keys, or every key when no workspace is named (the operator's CLI). */
  list(workspaceId?: WorkspaceId): Promise<ApiKey[]> {
    return workspaceId === undefined ? this.keys.listAcrossWorkspaces() : this.keys.list(workspaceId);
  }

  revoke(apiKeyId: string): Promise<boolean> {
    return this.keys.revokeAcrossWorkspaces(apiKeyId);
  }

  /** Those of `apiKeyIds` that are revoked (or gone). */
  revokedAmong(apiKeyIds: string[]): Promise<string[]> {
    return apiKeyIds.length === 0 ? Promise.resolve([]) : this.keys.revokedAmongAcrossWorkspaces(apiKeyIds);
  }

  /** Drops the cached verdicts on this key, so a revocation heard from another replica applies at once. */
  forget(apiKeyId: string): void {
    for (const apiKey of [...this.verified.keys()]) {
      if (parseApiKey(apiKey)?.machineUserId === apiKeyId) this.verified.delete(apiKey);
    }
  }

  /**
   * The caller's context when this key was verified within API_KEY_CACHE_TTL_MS, without waiting: undefined
   * when it was not (ask `authenticate`) or was found invalid.
   */
  verifiedRecently(apiKey: string): AuthContext | undefined {
    return this.verified.get(apiKey) || undefined;
  }

  /** The caller's context, or undefined for a missing, malformed, unknown or revoked key. */
  async authenticate(apiKey: string | undefined): Promise<AuthContext | undefined> {
    if (!apiKey) return undefined;
    const cached = this.verified.get(apiKey);
    if (cached !== undefined) return cached || undefined;
    const parsed = parseApiKey(apiKey);
    if (!parsed) return undefined;
    const record = await this.keys.findAcrossWorkspaces(parsed.machineUserId);
    const valid =
      record !== undefined && record.revokedAt === null && secretMatches(parsed.secret, record.secretHash);
    const context: AuthContext | false = valid
      ? { workspaceId: record.workspaceId, machineUserId: record.id, actor: machineUserActor(record.id) }
      : false;
    this.verified.set(apiKey, context);
    return context || undefined;
  }
}
