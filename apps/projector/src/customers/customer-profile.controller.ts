import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard, Auth, type AuthContext } from '@app/auth';
import type { Customer } from '@app/contracts';
import { ExternalIdPipe } from '@app/http';
import { ApiRoute, COMMON_ERRORS, CustomerResponse } from '@app/http/openapi';
import { CustomerProfileService } from './customer-profile.service';

@ApiTags('customers')
@ApiSecurity('api-key')
@Controller('customers/:externalId')
@UseGuards(ApiKeyGuard)
export class CustomerProfileController {
  constructor(private readonly profiles: CustomerProfileService) {}

  @Get()
  @ApiRoute({
    operationId: 'getCustomerProfile',
    summary: 'A customer as the read models know it (name, email, spam status)',
    ok: [200, CustomerResponse, 'The customer'],
    errors: { ...COMMON_ERRORS, CUSTOMER_NOT_FOUND: 'no customer with this externalId in this workspace' },
  })
  get(@Auth() auth: AuthContext, @Param('externalId', ExternalIdPipe) externalId: string): Promise<Customer> {
    return this.profiles.get(auth, externalId);
  }
}
