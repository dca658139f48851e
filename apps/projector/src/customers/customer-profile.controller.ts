import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard, Auth, type AuthContext } from '@app/auth';
import type { Customer } from '@app/contracts';
import { ExternalIdPipe } from '@app/http';
import { CustomerProfileService } from './customer-profile.service';

@ApiTags('customers')
@ApiSecurity('api-key')
@Controller('customers/:externalId')
@UseGuards(ApiKeyGuard)
export class CustomerProfileController {
  constructor(private readonly profiles: CustomerProfileService) {}

  @Get()
  @ApiOperation({ summary: 'A customer as the read models know it (name, email, spam status)' })
  get(@Auth() auth: AuthContext, @Param('externalId', ExternalIdPipe) externalId: string): Promise<Customer> {
    return this.profiles.get(auth, externalId);
  }
}
