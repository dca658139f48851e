import type { Customer } from '@app/contracts';

/** A customer as stored: the API shape plus the version its change events count. */
export interface CustomerRecord {
  workspaceId: string;
  customer: Customer;
  version: number;
}
