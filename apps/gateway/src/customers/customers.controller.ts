import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Customer } from '@app/contracts';
import { ApiKeyGuard, Auth, type AuthContext } from '@app/auth';
import { ExternalIdPipe } from '@app/http';
import { ApiRoute, BODY_ERRORS, COMMON_ERRORS, CustomerResponse } from '@app/http/openapi';
import { CustomersService } from './customers.service';
import { PatchCustomerDto } from './dto/patch-customer.dto';
import { PutCustomerDto } from './dto/put-customer.dto';

const NOT_FOUND = { CUSTOMER_NOT_FOUND: 'no customer with this externalId in this workspace' };
const EMAIL_TAKEN = { CONFLICT: 'another customer of this workspace has this email' };

@ApiTags('customers')
@ApiSecurity('api-key')
@ApiParam({
  name: 'externalId',
  description: 'Your id for the customer (1–255 characters)',
  example: 'user_42',
})
@Controller('customers/:externalId')
@UseGuards(ApiKeyGuard)
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Get()
  @ApiRoute({
    operationId: 'getCustomer',
    summary: 'Read a customer',
    ok: [200, CustomerResponse, 'The customer'],
    errors: { ...COMMON_ERRORS, ...NOT_FOUND },
  })
  get(@Auth() auth: AuthContext, @Param('externalId', ExternalIdPipe) externalId: string): Promise<Customer> {
    return this.customers.get(auth, externalId);
  }

  @Put()
  @ApiRoute({
    operationId: 'putCustomer',
    summary: 'Create (201) or update (200) a customer',
    description:
      'Emits customer.customer_created or customer.customer_updated; nothing when nothing changed.',
    ok: [
      [201, CustomerResponse, 'Created'],
      [200, CustomerResponse, 'Updated (or unchanged)'],
    ],
    errors: { ...COMMON_ERRORS, ...BODY_ERRORS, ...EMAIL_TAKEN },
  })
  async put(
    @Auth() auth: AuthContext,
    @Param('externalId', ExternalIdPipe) externalId: string,
    @Body() dto: PutCustomerDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Customer> {
    const { customer, created } = await this.customers.put(auth, externalId, dto);
    void reply.status(created ? 201 : 200);
    return customer;
  }

  @Patch()
  @ApiRoute({
    operationId: 'patchCustomer',
    summary: 'Update some fields of a customer',
    description: 'Emits customer.customer_updated.',
    ok: [200, CustomerResponse, 'The updated customer'],
    errors: { ...COMMON_ERRORS, ...BODY_ERRORS, ...NOT_FOUND, ...EMAIL_TAKEN },
  })
  patch(
    @Auth() auth: AuthContext,
    @Param('externalId', ExternalIdPipe) externalId: string,
    @Body() dto: PatchCustomerDto,
  ): Promise<Customer> {
    return this.customers.patch(auth, externalId, dto);
  }

  @Post('mark-as-spam')
  @HttpCode(200)
  @ApiRoute({
    operationId: 'markCustomerAsSpam',
    summary: 'Mark a customer as spam',
    description: 'Emits customer.customer_updated.',
    ok: [200, CustomerResponse, 'The customer, with markedAsSpamAt and markedAsSpamBy set'],
    errors: { ...COMMON_ERRORS, ...BODY_ERRORS, ...NOT_FOUND },
  })
  markAsSpam(
    @Auth() auth: AuthContext,
    @Param('externalId', ExternalIdPipe) externalId: string,
  ): Promise<Customer> {
    return this.customers.markAsSpam(auth, externalId);
  }

  @Post('unmark-as-spam')
  @HttpCode(200)
  @ApiRoute({
    operationId: 'unmarkCustomerAsSpam',
    summary: 'Clear the spam mark of a customer',
    description: 'Emits customer.customer_updated.',
    ok: [200, CustomerResponse, 'The customer, with markedAsSpamAt and markedAsSpamBy null'],
    errors: { ...COMMON_ERRORS, ...BODY_ERRORS, ...NOT_FOUND },
  })
  unmarkAsSpam(
    @Auth() auth: AuthContext,
    @Param('externalId', ExternalIdPipe) externalId: string,
  ): Promise<Customer> {
    return this.customers.unmarkAsSpam(auth, externalId);
  }

  @Delete()
  @ApiRoute({
    operationId: 'deleteCustomer',
    summary: 'Delete a customer',
    description:
      'Emits customer.customer_deleted. Event requests for it answer 404 on every replica within 1 s.',
    ok: [200, CustomerResponse, 'The deleted customer'],
    errors: { ...COMMON_ERRORS, ...NOT_FOUND },
  })
  delete(
    @Auth() auth: AuthContext,
    @Param('externalId', ExternalIdPipe) externalId: string,
  ): Promise<Customer> {
    return this.customers.delete(auth, externalId);
  }
}
