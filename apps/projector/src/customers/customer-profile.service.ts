import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@app/auth';
import type { Customer } from '@app/contracts';
import { CustomerNotFoundError, ServiceUnavailableError } from '@app/http';
import { CustomerSearchRepository } from '../directory/customer-search.repository';
import { DirectoryRepository } from '../directory/directory.repository';
import { isDatabaseUnavailable } from '../timeline/database-unavailable';

async function unavailableAs503<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (isDatabaseUnavailable(error))
      throw new ServiceUnavailableError('The database is unavailable; retry later');
    throw error;
  }
}

/** A customer as the projection last saw it (the read side's copy of the gateway's customer). */
@Injectable()
export class CustomerProfileService {
  constructor(
    private readonly directory: DirectoryRepository,
    private readonly searches: CustomerSearchRepository,
  ) {}

  get(auth: AuthContext, externalId: string): Promise<Customer> {
    return unavailableAs503(async () => {
      const entry = await this.directory.findByExternalId(auth.workspaceId, externalId);
      if (!entry) throw new CustomerNotFoundError(externalId, 'externalId');
      return entry.customer;
    });
  }

  search(auth: AuthContext, query: string, limit: number): Promise<{ items: Customer[] }> {
    return unavailableAs503(async () => ({
      items: await this.searches.search(auth.workspaceId, query, limit),
    }));
  }
}
