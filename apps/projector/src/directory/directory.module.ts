import { Module } from '@nestjs/common';
import { CustomerSearchRepository } from './customer-search.repository';
import { DirectoryRepository } from './directory.repository';

/** Reads of the customer directory the projection keeps (profiles, externalId → id, search). */
@Module({
  providers: [DirectoryRepository, CustomerSearchRepository],
  exports: [DirectoryRepository, CustomerSearchRepository],
})
export class DirectoryModule {}
