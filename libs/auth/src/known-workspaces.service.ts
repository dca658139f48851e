import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { type TopicHandler, workspaceChecked } from '@app/kafka';
import { WorkspacesRepository } from './workspaces.repository';

/**
 * Which workspace ids exist, for the consumers: the gateway only ever publishes for a workspace it has
 * authenticated, so a message naming another one did not come from it and must not be written into read
 * models or deliveries. Workspaces are never deleted, so an id once found is remembered (no query per batch).
 */
@Injectable()
export class KnownWorkspaces {
  private readonly known = new LRUCache<string, true>({ max: 100_000 });

  constructor(private readonly workspaces: WorkspacesRepository) {}

  /** The ids among `workspaceIds` that name no workspace. */
  async unknownAmong(workspaceIds: string[]): Promise<Set<string>> {
    const unseen = [...new Set(workspaceIds)].filter((id) => !this.known.has(id));
    if (unseen.length === 0) return new Set();
    for (const id of await this.workspaces.existing(unseen)) this.known.set(id, true);
    return new Set(unseen.filter((id) => !this.known.has(id)));
  }

  /** `handler`, refusing (before it writes anything) a batch that names a workspace that does not exist. */
  guard<T extends { workspaceId: string }>(handler: TopicHandler<T>): TopicHandler<T> {
    return workspaceChecked(handler, (ids) => this.unknownAmong(ids));
  }
}
