import { ulid } from 'ulid';
import { randomByte } from './random-pool';
import { ContractViolationError } from './contract-violation.error';

/** Every id is a prefixed ULID: the prefix names the kind, the ULID sorts by creation time. */
export const ID_PREFIX = {
  workspace: 'w',
  machineUser: 'mu',
  customer: 'c',
  customerEvent: 'cev',
  customerChangeEvent: 'pEv',
  webhookTarget: 'whTarget',
  webhookDelivery: 'whDelivery',
  webhookAttempt: 'whAttempt',
} as const;

export type IdPrefix = (typeof ID_PREFIX)[keyof typeof ID_PREFIX];

export const ID_PATTERN = /^[a-zA-Z]+_[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * The same cryptographic randomness as ulid's default, from the process's pool: by default ulid asks the OS
 * for one byte per character (16 calls per id), which was the gateway's top frame under load (~30 % of its
 * CPU on the batch endpoint). A byte / 256 maps exactly 8 byte values onto each of the 32 characters.
 */
const pooledRandom = () => randomByte() / 256;

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${ulid(undefined, pooledRandom)}`;
}

export function isId(value: unknown, prefix?: IdPrefix): value is string {
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) return false;
  return prefix === undefined || value.startsWith(`${prefix}_`);
}

/**
 * The id of a workspace (tenant) that has been checked: every repository method reading or writing tenant data
 * takes one first, so a query cannot be called with an unchecked string, or without a workspace, and still
 * compile. Made only by the auth layer (`AuthContext`, from the API key's stored row) and by `parseWorkspaceId`
 * (a consumed message, a CLI argument); repositories type their `workspace_id` columns with it.
 */
export type WorkspaceId = string & { readonly __brand: 'WorkspaceId' };

/** What a repository method scoped to one workspace can take instead of a bare `WorkspaceId`: a record, a query. */
export interface WorkspaceScope {
  readonly workspaceId: WorkspaceId;
}

/** The one way from a string to a `WorkspaceId`: a `w_` id, else a ContractViolationError naming `field`. */
export function parseWorkspaceId(value: unknown, field = 'workspaceId'): WorkspaceId {
  if (!isId(value, ID_PREFIX.workspace)) throw new ContractViolationError(field, 'must be a w_ id');
  return value as WorkspaceId;
}

/**
 * A validated message (or any value naming its workspace) typed as scoped to that workspace: the same object,
 * its `workspaceId` checked by `parseWorkspaceId`.
 */
export function inWorkspace<T extends { workspaceId: string }>(value: T): T & WorkspaceScope {
  parseWorkspaceId(value.workspaceId);
  return value as T & WorkspaceScope;
}
