import type { Customer, WorkspaceId } from '@app/contracts';

/** A customer as stored: the API shape plus the version its change events count. */
export interface CustomerRecord {
  workspaceId: WorkspaceId;
  customer: Customer;
  version: number;
}
