import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@app/auth';
import { CursorSigner, ValidationError } from '@app/http';
import { currentTrace, formatTraceparent } from '@app/observability/tracing';
import {
  decodeIdCursor,
  DeliveryInProgressError,
  encodeIdCursor,
  type IdCursorScope,
  type Page,
  toPage,
  WebhookDeliveryNotFoundError,
  WebhookTargetDisabledError,
  WebhookTargetNotFoundError,
} from '../shared';
import { type WebhookTarget, WebhookTargetsRepository } from '../targets';
import { AttemptsDue } from './attempts-due.signal';
import { DeliveriesRepository, type DeliveryFilter } from './deliveries.repository';
import type {
  DeliveryResponse,
  DeliveryWithAttemptsResponse,
  RecoverResultResponse,
  TargetDeliveryStatsResponse,
} from './dto/delivery.response';
import { exampleCustomerUpdate } from './example-change';
import { ExampleDeliveriesRepository } from './example-deliveries.repository';

@Injectable()
export class DeliveriesService {
  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly examples: ExampleDeliveriesRepository,
    private readonly targets: WebhookTargetsRepository,
    private readonly attemptsDue: AttemptsDue,
    private readonly cursors: CursorSigner,
  ) {}

  /** One target's log (404 for a target of another workspace), or the workspace's across its targets. */
  async list(
    auth: AuthContext,
    filter: DeliveryFilter,
    page: { limit: number; cursor?: string },
  ): Promise<Page<DeliveryResponse>> {
    const scope: IdCursorScope = {
      list: 'deliveries',
      bound: [
        filter.targetId ?? null,
        filter.status ?? null,
        filter.eventType ?? null,
        filter.customerId ?? null,
        filter.eventId ?? null,
      ],
    };
    const beforeId = decodeIdCursor(this.cursors, scope, page.cursor);
    if (filter.targetId !== undefined) await this.target(auth, filter.targetId);
    const deliveries = await this.deliveries.list(auth.workspaceId, filter, {
      limit: page.limit + 1,
      beforeId,
    });
    return toPage(deliveries, page.limit, (id) => encodeIdCursor(this.cursors, scope, id));
  }

  async get(auth: AuthContext, deliveryId: string): Promise<DeliveryWithAttemptsResponse> {
    const delivery = await this.deliveries.find(auth.workspaceId, deliveryId);
    if (!delivery) throw new WebhookDeliveryNotFoundError();
    return { ...delivery, attempts: await this.deliveries.attempts(auth.workspaceId, deliveryId) };
  }

  /** Queues one attempt now, numbered after the last; the worker picks it up at once. */
  async retry(auth: AuthContext, deliveryId: string): Promise<DeliveryResponse> {
    const current = await this.deliveries.find(auth.workspaceId, deliveryId);
    if (!current) throw new WebhookDeliveryNotFoundError();
    const target = await this.targets.find(auth.workspaceId, current.targetId);
    if (!target?.enabled) throw new WebhookTargetDisabledError();
    const queued = await this.deliveries.requestManualAttempt(auth.workspaceId, deliveryId);
    if (!queued) throw new DeliveryInProgressError();
    this.attemptsDue.announce();
    return queued;
  }

  /**
   * An example customer.customer_updated for the target, as its own delivery: rendered in the target's
   * version, signed and recorded like any other, and carrying the trace of this request.
   */
  async sendExample(auth: AuthContext, targetId: string): Promise<DeliveryResponse> {
    this.assertEnabled(await this.target(auth, targetId));
    const trace = currentTrace();
    const event = exampleCustomerUpdate(auth.workspaceId, auth.actor);
    const delivery = await this.examples.insert(
      auth.workspaceId,
      targetId,
      event,
      trace ? formatTraceparent(trace) : null,
    );
    this.attemptsDue.announce();
    return delivery;
  }

  /** Every failed delivery of the target since `since` gets a new attempt, numbered after its last. */
  async recover(auth: AuthContext, targetId: string, since: string): Promise<RecoverResultResponse> {
    const from = new Date(since);
    if (from.getTime() > Date.now()) throw ValidationError.field('since', 'must not be in the future');
    this.assertEnabled(await this.target(auth, targetId));
    const scheduled = await this.deliveries.recoverFailed(auth.workspaceId, targetId, from);
    if (scheduled > 0) this.attemptsDue.announce();
    return { scheduled };
  }

  async stats(auth: AuthContext, targetId: string): Promise<TargetDeliveryStatsResponse> {
    await this.target(auth, targetId);
    const { attempts, succeeded } = await this.deliveries.stats24h(auth.workspaceId, targetId);
    return {
      attempts24h: attempts,
      succeeded24h: succeeded,
      successRate24h: attempts === 0 ? null : succeeded / attempts,
    };
  }

  private async target(auth: AuthContext, targetId: string): Promise<WebhookTarget> {
    const target = await this.targets.find(auth.workspaceId, targetId);
    if (!target) throw new WebhookTargetNotFoundError();
    return target;
  }

  private assertEnabled(target: WebhookTarget): void {
    if (!target.enabled) throw new WebhookTargetDisabledError();
  }
}
