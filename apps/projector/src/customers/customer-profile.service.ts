import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@app/auth';
import type { Customer } from '@app/contracts';
import { CustomerNotFoundError, ServiceUnavailableError } from '@app/http';
import { DirectoryRepository } from '../directory/directory.repository';
import { isDatabaseUnavailable } from '../timeline/database-unavailable';

/** A customer as the projection last saw it (the read side's copy of the gateway's customer). */
@Injectable()
export class CustomerProfileService {
  constructor(private readonly directory: DirectoryRepository) {}

  async get(auth: AuthContext, externalId: string): Promise<Customer> {
    try {
      const entry = await this.directory.findByExternalId(auth.workspaceId, externalId);
      if (!entry) throw new CustomerNotFoundError(externalId, 'externalId');
      return entry.customer;
    } catch (error) {
      if (isDatabaseUnavailable(error))
        throw new ServiceUnavailableError('The database is unavailable; retry later');
      throw error;
    }
  }
}
