import type { Actor } from '@app/contracts';

/** Who is calling: the workspace every query is scoped to, and the machine user acting. */
export interface AuthContext {
  workspaceId: string;
  machineUserId: string;
  actor: Actor;
}

export function machineUserActor(machineUserId: string): Actor {
  return { actorType: 'machineUser', machineUserId };
}
