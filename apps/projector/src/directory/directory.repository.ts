import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Customer } from '@app/contracts';

export interface DirectoryCustomer {
  customerId: string;
  workspaceId: string;
  externalId: string;
  customer: Customer;
  version: number;
}

/** Reads the customer directory the API serves (the live tables; the projection writes through its own repository). */
@Injectable()
export class DirectoryRepository {
  constructor(private readonly db: DataSource) {}

  async findByExternalId(workspaceId: string, externalId: string): Promise<DirectoryCustomer | undefined> {
    const rows: Array<{ customer_id: string; customer: Customer; version: number }> = await this.db.query(
      'SELECT customer_id, customer, version FROM customer_directory WHERE workspace_id = $1 AND external_id = $2',
      [workspaceId, externalId],
    );
    const row = rows[0];
    return row
      ? { customerId: row.customer_id, workspaceId, externalId, customer: row.customer, version: row.version }
      : undefined;
  }
}
