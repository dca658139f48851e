import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@app/auth';
import { CursorSigner } from '@app/http';
import {
  decodeIdCursor,
  encodeIdCursor,
  type IdCursorScope,
  type Page,
  toPage,
} from '../targets/page-cursor';
import { WebhookTargetsRepository } from '../targets/webhook-targets.repository';
import {
  DeliveryInProgressError,
  WebhookDeliveryNotFoundError,
  WebhookTargetDisabledError,
  WebhookTargetNotFoundError,
} from '../webhook.errors';
import { DeliveriesRepository } from './deliveries.repository';
import type { DeliveryStatus, DeliveryView, DeliveryWithAttempts } from './delivery';
import { toAttemptView, toDeliveryView } from './delivery-rows';
import { DeliveryWorker } from '../dispatch/delivery-worker.service';

@Injectable()
export class DeliveriesService {
  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly targets: WebhookTargetsRepository,
    private readonly worker: DeliveryWorker,
    private readonly cursors: CursorSigner,
  ) {}

  async list(
    auth: AuthContext,
    targetId: string,
    query: { status?: DeliveryStatus; limit: number; cursor?: string },
  ): Promise<Page<DeliveryView>> {
    if (!(await this.targets.find(auth.workspaceId, targetId))) throw new WebhookTargetNotFoundError();
    const scope: IdCursorScope = { list: 'deliveries', bound: [targetId, query.status ?? null] };
    const rows = await this.deliveries.list(auth.workspaceId, targetId, {
      status: query.status,
      limit: query.limit + 1,
      beforeId: decodeIdCursor(this.cursors, scope, query.cursor),
    });
    return toPage(rows, query.limit, toDeliveryView, (id) => encodeIdCursor(this.cursors, scope, id));
  }

  async get(auth: AuthContext, deliveryId: string): Promise<DeliveryWithAttempts> {
    const row = await this.deliveries.find(auth.workspaceId, deliveryId);
    if (!row) throw new WebhookDeliveryNotFoundError();
    const attempts = await this.deliveries.attempts(auth.workspaceId, deliveryId);
    return { ...toDeliveryView(row), attempts: attempts.map(toAttemptView) };
  }

  /** Queues one attempt now, numbered after the last; the worker picks it up at once. */
  async retry(auth: AuthContext, deliveryId: string): Promise<DeliveryView> {
    const current = await this.deliveries.find(auth.workspaceId, deliveryId);
    if (!current) throw new WebhookDeliveryNotFoundError();
    const target = await this.targets.find(auth.workspaceId, current.target_id);
    if (!target?.enabled) throw new WebhookTargetDisabledError();
    const queued = await this.deliveries.requestManualAttempt(auth.workspaceId, deliveryId);
    if (!queued) throw new DeliveryInProgressError();
    this.worker.wake();
    return toDeliveryView(queued);
  }
}
