import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { APP_CONFIG, type CommonEnv } from '@app/config';
import { PgListener } from '@app/database';
import { API_KEY_REVOKED_CHANNEL } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';

/**
 * Hears key revocations from every replica (NOTIFY on API_KEY_REVOKED_CHANNEL, sent by the revoking
 * statement): forgets the key's cached verdict and tells whoever holds something open on the key's behalf
 * (a live stream) to end it. Revocations made while the LISTEN connection was down are found by asking the
 * database about every watched key once it is back.
 */
@Injectable()
export class ApiKeyRevocations implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ApiKeyRevocations.name);
  private readonly listener: PgListener;
  private readonly watchers = new Map<string, Set<() => void>>();
  /** Revocations heard lately: a watch that starts just after its key's revocation still ends at once. */
  private readonly revoked = new LRUCache<string, true>({ max: 10_000 });

  constructor(
    @Inject(APP_CONFIG) config: CommonEnv,
    private readonly apiKeys: ApiKeysService,
  ) {
    this.listener = new PgListener({
      url: config.DATABASE_URL,
      channels: [API_KEY_REVOKED_CHANNEL],
      applicationName: 'api-key-revocations',
      onNotification: (_channel, apiKeyId) => this.heard(apiKeyId),
      onConnect: () => void this.recheck(),
    });
  }

  onApplicationBootstrap(): void {
    this.listener.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.listener.stop();
  }

  /** Calls `onRevoked` once if the key is revoked while watched. Returns the function that stops watching. */
  watch(apiKeyId: string, onRevoked: () => void): () => void {
    if (this.revoked.has(apiKeyId)) {
      onRevoked();
      return () => undefined;
    }
    const set = this.watchers.get(apiKeyId) ?? new Set<() => void>();
    set.add(onRevoked);
    this.watchers.set(apiKeyId, set);
    return () => {
      set.delete(onRevoked);
      if (set.size === 0 && this.watchers.get(apiKeyId) === set) this.watchers.delete(apiKeyId);
    };
  }

  private heard(apiKeyId: string): void {
    this.revoked.set(apiKeyId, true);
    this.apiKeys.forget(apiKeyId);
    const set = this.watchers.get(apiKeyId);
    this.watchers.delete(apiKeyId);
    for (const onRevoked of set ?? []) onRevoked();
  }

  private async recheck(): Promise<void> {
    try {
      for (const apiKeyId of await this.apiKeys.revokedAmong([...this.watchers.keys()])) this.heard(apiKeyId);
    } catch (error) {
      this.logger.warn({ err: error }, 'Could not recheck API keys after the LISTEN connection came back');
    }
  }
}
