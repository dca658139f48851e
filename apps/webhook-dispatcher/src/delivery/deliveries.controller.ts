import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard, Auth, type AuthContext } from '@app/auth';
import { ApiRoute, BODY_ERRORS, COMMON_ERRORS } from '@app/http/openapi';
import type { Page } from '../shared';
import { DeliveriesService } from './deliveries.service';
import {
  DeliveryResponse,
  DeliveryWithAttemptsResponse,
  RecoverResultResponse,
  TargetDeliveryStatsResponse,
} from './dto/delivery.response';
import { ListDeliveriesQueryDto } from './dto/list-deliveries-query.dto';
import { ListWorkspaceDeliveriesQueryDto } from './dto/list-workspace-deliveries-query.dto';
import { RecoverDeliveriesDto } from './dto/recover-deliveries.dto';

const TARGET_NOT_FOUND = { NOT_FOUND: 'no webhook target with this id in this workspace' };
const DELIVERY_NOT_FOUND = { NOT_FOUND: 'no webhook delivery with this id in this workspace' };
const TARGET_DISABLED = { CONFLICT: 'the target is disabled' };

@ApiTags('webhook-deliveries')
@ApiSecurity('api-key')
@Controller()
@UseGuards(ApiKeyGuard)
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Get('webhook-deliveries')
  @ApiRoute({
    operationId: 'listWebhookDeliveries',
    summary: "The workspace's deliveries across all its targets, newest first, keyset-paginated",
    page: [200, DeliveryResponse, 'A page of deliveries'],
    errors: COMMON_ERRORS,
  })
  listAll(
    @Auth() auth: AuthContext,
    @Query() query: ListWorkspaceDeliveriesQueryDto,
  ): Promise<Page<DeliveryResponse>> {
    const { limit, cursor, ...filter } = query;
    return this.deliveries.list(auth, filter, { limit, cursor });
  }

  @Get('webhook-targets/:targetId/deliveries')
  @ApiRoute({
    operationId: 'listWebhookTargetDeliveries',
    summary: "A target's delivery log, newest first, keyset-paginated",
    page: [200, DeliveryResponse, 'A page of deliveries'],
    errors: { ...COMMON_ERRORS, ...TARGET_NOT_FOUND },
  })
  list(
    @Auth() auth: AuthContext,
    @Param('targetId') targetId: string,
    @Query() query: ListDeliveriesQueryDto,
  ): Promise<Page<DeliveryResponse>> {
    return this.deliveries.list(auth, { targetId, status: query.status }, query);
  }

  @Get('webhook-targets/:targetId/stats')
  @ApiRoute({
    operationId: 'getWebhookTargetStats',
    summary: "A target's attempts and success rate over the last 24 hours",
    ok: [200, TargetDeliveryStatsResponse, 'The counts and the rate'],
    errors: { ...COMMON_ERRORS, ...TARGET_NOT_FOUND },
  })
  stats(
    @Auth() auth: AuthContext,
    @Param('targetId') targetId: string,
  ): Promise<TargetDeliveryStatsResponse> {
    return this.deliveries.stats(auth, targetId);
  }

  @Post('webhook-targets/:targetId/test')
  @HttpCode(202)
  @ApiRoute({
    operationId: 'sendWebhookTargetTest',
    summary: 'Send an example customer.customer_updated to the target, in its version',
    description:
      'Recorded as its own delivery (attempted once at once, never retried on a schedule): ' +
      'read its outcome with getWebhookDelivery.',
    ok: [202, DeliveryResponse, 'The test delivery, queued'],
    errors: { ...COMMON_ERRORS, ...BODY_ERRORS, ...TARGET_NOT_FOUND, ...TARGET_DISABLED },
  })
  test(@Auth() auth: AuthContext, @Param('targetId') targetId: string): Promise<DeliveryResponse> {
    return this.deliveries.sendExample(auth, targetId);
  }

  @Post('webhook-targets/:targetId/recover')
  @HttpCode(202)
  @ApiRoute({
    operationId: 'recoverWebhookTargetDeliveries',
    summary: 'Attempt every failed delivery of the target since a time again',
    description: 'Each gets one new attempt, numbered after its last; if that fails too it stays failed.',
    ok: [202, RecoverResultResponse, 'How many deliveries were scheduled'],
    errors: { ...COMMON_ERRORS, ...BODY_ERRORS, ...TARGET_NOT_FOUND, ...TARGET_DISABLED },
  })
  recover(
    @Auth() auth: AuthContext,
    @Param('targetId') targetId: string,
    @Body() dto: RecoverDeliveriesDto,
  ): Promise<RecoverResultResponse> {
    return this.deliveries.recover(auth, targetId, dto.since);
  }

  @Get('webhook-deliveries/:deliveryId')
  @ApiRoute({
    operationId: 'getWebhookDelivery',
    summary: 'A delivery with every attempt, oldest first: what was sent and what came back',
    ok: [200, DeliveryWithAttemptsResponse, 'The delivery and its attempts'],
    errors: { ...COMMON_ERRORS, ...DELIVERY_NOT_FOUND },
  })
  get(
    @Auth() auth: AuthContext,
    @Param('deliveryId') deliveryId: string,
  ): Promise<DeliveryWithAttemptsResponse> {
    return this.deliveries.get(auth, deliveryId);
  }

  @Post('webhook-deliveries/:deliveryId/retry')
  @HttpCode(202)
  @ApiRoute({
    operationId: 'retryWebhookDelivery',
    summary: 'Attempt the delivery again now (numbered after the last attempt)',
    ok: [202, DeliveryResponse, 'The delivery, due now'],
    errors: {
      ...COMMON_ERRORS,
      ...BODY_ERRORS,
      ...DELIVERY_NOT_FOUND,
      CONFLICT: 'the target is disabled, or an attempt of this delivery is in progress',
    },
  })
  retry(@Auth() auth: AuthContext, @Param('deliveryId') deliveryId: string): Promise<DeliveryResponse> {
    return this.deliveries.retry(auth, deliveryId);
  }
}
