import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Customer, WorkspaceId } from '@app/contracts';

/** A customer of the directory, as the read side needs it: its id (which scopes its timeline) and its state. */
export interface DirectoryCustomer {
  customerId: string;
  customer: Customer;
}

/** Reads the customer directory the API serves (the live tables; the projection writes through its own repository). */
@Injectable()
export class DirectoryRepository {
  constructor(private readonly db: DataSource) {}

  async findByExternalId(
    workspaceId: WorkspaceId,
    externalId: string,
  ): Promise<DirectoryCustomer | undefined> {
    const rows: DirectoryCustomer[] = await this.db.query(
      'SELECT customer_id AS "customerId", customer FROM customer_directory WHERE workspace_id = $1 AND external_id = $2',
      [workspaceId, externalId],
    );
    return rows[0];
  }
}
