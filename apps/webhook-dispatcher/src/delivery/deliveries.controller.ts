import { Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard, Auth, type AuthContext } from '@app/auth';
import type { Page } from '../targets/page-cursor';
import { DeliveriesService } from './deliveries.service';
import type { DeliveryView, DeliveryWithAttempts } from './delivery';
import { ListDeliveriesQueryDto } from './dto/list-deliveries-query.dto';

@ApiTags('webhook-deliveries')
@ApiSecurity('api-key')
@Controller()
@UseGuards(ApiKeyGuard)
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Get('webhook-targets/:targetId/deliveries')
  @ApiOperation({ summary: "A target's delivery log, newest first, keyset-paginated" })
  list(
    @Auth() auth: AuthContext,
    @Param('targetId') targetId: string,
    @Query() query: ListDeliveriesQueryDto,
  ): Promise<Page<DeliveryView>> {
    return this.deliveries.list(auth, targetId, query);
  }

  @Get('webhook-deliveries/:deliveryId')
  @ApiOperation({ summary: 'A delivery with every attempt, oldest first' })
  get(@Auth() auth: AuthContext, @Param('deliveryId') deliveryId: string): Promise<DeliveryWithAttempts> {
    return this.deliveries.get(auth, deliveryId);
  }

  @Post('webhook-deliveries/:deliveryId/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Attempt the delivery again now (numbered after the last attempt)' })
  retry(@Auth() auth: AuthContext, @Param('deliveryId') deliveryId: string): Promise<DeliveryView> {
    return this.deliveries.retry(auth, deliveryId);
  }
}
