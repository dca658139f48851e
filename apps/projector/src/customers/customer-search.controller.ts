import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard, Auth, type AuthContext } from '@app/auth';
import { ApiRoute, COMMON_ERRORS } from '@app/http/openapi';
import { CustomerProfileService } from './customer-profile.service';
import { CustomerSearchQueryDto } from './dto/customer-search-query.dto';
import { CustomerSearchResponse } from './dto/customer-search.response';

@ApiTags('customers')
@ApiSecurity('api-key')
@Controller('customers')
@UseGuards(ApiKeyGuard)
export class CustomerSearchController {
  constructor(private readonly profiles: CustomerProfileService) {}

  @Get()
  @ApiRoute({
    operationId: 'searchCustomers',
    summary: 'Find customers by part of their email, name or externalId',
    ok: [200, CustomerSearchResponse, 'Up to `limit` matching customers of this workspace'],
    errors: { ...COMMON_ERRORS },
  })
  search(@Auth() auth: AuthContext, @Query() query: CustomerSearchQueryDto): Promise<CustomerSearchResponse> {
    return this.profiles.search(auth, query.query, query.limit);
  }
}
