import { Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { DirectoryModule } from '../directory';
import { CustomerProfileController } from './customer-profile.controller';
import { CustomerProfileService } from './customer-profile.service';
import { CustomerSearchController } from './customer-search.controller';

/** Customer search and profiles, read from the directory. */
@Module({
  imports: [AuthModule, DirectoryModule],
  controllers: [CustomerSearchController, CustomerProfileController],
  providers: [CustomerProfileService],
})
export class CustomersModule {}
