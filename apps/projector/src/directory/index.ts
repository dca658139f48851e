export { DirectoryModule } from './directory.module';
export { CustomerSearchRepository } from './customer-search.repository';
export { DirectoryRepository } from './directory.repository';
