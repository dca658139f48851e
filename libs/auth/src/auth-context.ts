import type { Actor, WorkspaceId } from '@app/contracts';

/** Who is calling: the workspace every query is scoped to, and the machine user acting. */
export interface AuthContext {
  /** The API key's own workspace, as stored with the key. */
  workspaceId: WorkspaceId;
  machineUserId: string;
  actor: Actor;
}

export function machineUserActor(machineUserId: string): Actor {
  return { actorType: 'machineUser', machineUserId };
}
