import type { WorkspaceId } from '@app/contracts';
import type { WebhookEventType, WebhookVersion } from '../shared';

export type DisabledReason = 'gone' | 'failing';

/** A webhook target without its secrets: what the service works with (the API shows it without workspaceId). */
export interface WebhookTarget {
  id: string;
  workspaceId: WorkspaceId;
  url: string;
  version: WebhookVersion;
  eventTypes: WebhookEventType[];
  description: string | null;
  enabled: boolean;
  /** Why the dispatcher disabled it by itself: the receiver answered 410, or it failed for 5 days. */
  disabledReason: DisabledReason | null;
  /** While a rotation's grace period lasts, the previous secret still signs until this time. */
  previousSecretExpiresAt: string | null;
  lastSuccessAt: string | null;
  failingSince: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A target to register: what the API sets, and its signing secret, sealed. */
export type NewWebhookTarget = Pick<
  WebhookTarget,
  'id' | 'workspaceId' | 'url' | 'version' | 'eventTypes' | 'description' | 'enabled'
> & { secretEncrypted: Buffer };

export interface WebhookTargetChanges {
  url?: string;
  version?: WebhookVersion;
  eventTypes?: WebhookEventType[];
  description?: string | null;
  enabled?: boolean;
}
