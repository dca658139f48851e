import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard, Auth, type AuthContext } from '@app/auth';
import { IDEMPOTENCY_KEY_HEADER, IdempotencyKey } from '../idempotency';
import { ApiRoute, BODY_ERRORS, COMMON_ERRORS } from '@app/http/openapi';
import { RateLimitCost, RateLimitGuard } from '../rate-limit';
import { CustomerEventsService } from './customer-events.service';
import { CreateCustomerEventDto } from './dto/create-customer-event.dto';
import { CustomerEventBatchDto, MAX_BATCH_EVENTS } from './dto/customer-event-batch.dto';
import { CustomerEventBatchResponse } from './dto/customer-event-batch.response';
import { CustomerEventResponse } from './dto/customer-event.response';

const SEED_EXAMPLE = {
  customerExternalId: 'user_42',
  type: 'order.placed',
  payload: { orderId: 'ord_9001', total: 149.9, currency: 'USD' },
};
const RATE_LIMITED = { RATE_LIMITED: 'over the per-key rate (when enabled); see Retry-After' };

/** A batch costs one token per event (at least 1, at most MAX_BATCH_EVENTS): the limit counts events. */
function batchCost(body: unknown): number {
  const events = (body as { events?: unknown } | undefined)?.events;
  return Array.isArray(events) ? Math.min(Math.max(events.length, 1), MAX_BATCH_EVENTS) : 1;
}

@ApiTags('customer-events')
@ApiSecurity('api-key')
@Controller('customer-events')
@UseGuards(ApiKeyGuard, RateLimitGuard)
export class CustomerEventsController {
  constructor(private readonly events: CustomerEventsService) {}

  @Post()
  @HttpCode(201)
  @ApiRoute({
    operationId: 'createCustomerEvent',
    summary: "Push a business event onto a customer's timeline",
    description: 'Answered once the event is written to Kafka with acks=all.',
    ok: [201, CustomerEventResponse, 'The event was accepted (or replayed for its Idempotency-Key)'],
    errors: {
      ...COMMON_ERRORS,
      ...BODY_ERRORS,
      ...RATE_LIMITED,
      VALIDATION_ERROR: 'a field is missing, malformed or unknown (details name it); malformed JSON',
      PAYLOAD_TOO_LARGE: 'the body is over 1 MiB, or `payload` is over 32 KiB serialised',
      CUSTOMER_NOT_FOUND: '`customerExternalId` matches no customer of this workspace',
      CONFLICT: 'a request with the same Idempotency-Key is still in flight',
      IDEMPOTENCY_KEY_REUSED: 'the Idempotency-Key was used with a different body',
    },
  })
  @ApiBody({
    type: CreateCustomerEventDto,
    examples: {
      seed: { summary: 'An order placed now', value: SEED_EXAMPLE },
      antidated: {
        summary: 'An event of the past (historical import)',
        value: { ...SEED_EXAMPLE, occurredAt: '2026-04-18T10:00:00Z' },
      },
      titled: {
        summary: 'With the one-line title an agent sees on the timeline',
        value: { ...SEED_EXAMPLE, title: 'Order ord_9001 placed: 149.90 USD' },
      },
    },
  })
  @ApiHeader({
    name: IDEMPOTENCY_KEY_HEADER,
    required: false,
    description:
      'Up to 255 characters. Within 24 h, the same key and body in this workspace give the same answer (same id)',
    example: 'order-ord_9001-placed',
  })
  create(
    @Auth() auth: AuthContext,
    @Body() dto: CreateCustomerEventDto,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<CustomerEventResponse> {
    return this.events.ingest(auth, dto, idempotencyKey);
  }

  @Post('batch')
  @HttpCode(200)
  @RateLimitCost(batchCost)
  @ApiRoute({
    operationId: 'createCustomerEventBatch',
    summary: 'Push up to 1000 events at once',
    description:
      'Each item is validated and answered on its own (`results[i].error` carries the code the single endpoint ' +
      'would give); the valid ones are accepted even when others are not, all in one Kafka round trip.',
    ok: [200, CustomerEventBatchResponse, 'Per-item results, in the order of `events`'],
    errors: {
      ...COMMON_ERRORS,
      ...BODY_ERRORS,
      VALIDATION_ERROR: 'the body is not `{ events: [1 to 1000 items] }` (items are checked one by one)',
      RATE_LIMITED:
        'a batch costs one token per event: fewer left than events (or more events than the burst), ' +
        'the whole batch is refused; see Retry-After',
    },
  })
  @ApiBody({ type: CustomerEventBatchDto })
  createBatch(
    @Auth() auth: AuthContext,
    @Body() body: CustomerEventBatchDto,
  ): Promise<CustomerEventBatchResponse> {
    return this.events.ingestBatch(auth, body);
  }
}
