import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@app/auth';
import type { Customer } from '@app/contracts';
import { CustomerNotFoundError } from '@app/http';
import { CustomerSearchRepository, DirectoryRepository } from '../directory';
import type { CustomerSearchResponse } from './dto/customer-search.response';

/** A customer as the projection last saw it (the read side's copy of the gateway's customer). */
@Injectable()
export class CustomerProfileService {
  constructor(
    private readonly directory: DirectoryRepository,
    private readonly searches: CustomerSearchRepository,
  ) {}

  get(auth: AuthContext, externalId: string): Promise<Customer> {
    return this.directory.findByExternalId(auth.workspaceId, externalId).then((entry) => {
      if (!entry) throw new CustomerNotFoundError(externalId, 'externalId');
      return entry.customer;
    });
  }

  async search(auth: AuthContext, query: string, limit: number): Promise<CustomerSearchResponse> {
    return { items: await this.searches.search(auth.workspaceId, query, limit) };
  }
}
