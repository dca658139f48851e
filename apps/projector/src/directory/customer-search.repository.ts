import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Customer, WorkspaceId } from '@app/contracts';

// The expression of the customer_directory_search trigram index (migration 1763805000000), repeated exactly so
// PostgreSQL can use the index; the per-field test below then drops matches that straddle two fields.
const SEARCH_TEXT = `lower(external_id || ' ' || coalesce(customer->'email'->>'email', '') || ' '
  || coalesce(customer->>'fullName', '') || ' ' || coalesce(customer->>'shortName', ''))`;

/** `%`, `_` and `\` are LIKE's own characters: a query containing them matches them literally. */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

@Injectable()
export class CustomerSearchRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Customers of one workspace whose externalId, email, full name or short name contains `query` (any case):
   * the exact externalId first, then emails starting with it, then by externalId.
   */
  async search(workspaceId: WorkspaceId, query: string, limit: number): Promise<Customer[]> {
    const needle = escapeLike(query);
    const rows: Array<{ customer: Customer }> = await this.db.query(
      `SELECT customer FROM customer_directory
       WHERE workspace_id = $1
         AND ${SEARCH_TEXT} LIKE lower($2)
         AND (lower(external_id) LIKE lower($2) OR lower(customer->'email'->>'email') LIKE lower($2)
              OR lower(customer->>'fullName') LIKE lower($2) OR lower(customer->>'shortName') LIKE lower($2))
       ORDER BY lower(external_id) = lower($3) DESC,
                lower(customer->'email'->>'email') LIKE lower($4) DESC,
                external_id
       LIMIT $5`,
      [workspaceId, `%${needle}%`, query, `${needle}%`, limit],
    );
    return rows.map((r) => r.customer);
  }
}
