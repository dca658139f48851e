import { ApiProperty } from '@nestjs/swagger';
import { CustomerResponse } from '@app/http/openapi';

export class CustomerSearchResponse {
  @ApiProperty({
    type: [CustomerResponse],
    description:
      'Matching customers of this workspace: the exact externalId first, then emails starting with the query',
  })
  items!: CustomerResponse[];
}
