import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type CustomerChangeMessage, newId, type WorkspaceId } from '@app/contracts';
import { queryRows } from '../shared';
import { DELIVERY_COLUMNS, type DeliveryRow, toDeliveryView } from './delivery-rows';
import type { DeliveryResponse } from './dto/delivery.response';

/** Test deliveries: an example event and its one delivery, for one target. */
@Injectable()
export class ExampleDeliveriesRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Due at once, as a manual attempt: it is sent once (numbered 1) and, if it fails, the delivery is failed
   * rather than retried for days; a retry or a recover can still send it again.
   */
  insert(
    workspaceId: WorkspaceId,
    targetId: string,
    event: CustomerChangeMessage,
    traceparent: string | null,
  ): Promise<DeliveryResponse> {
    return this.db.transaction(async (em) => {
      await em.query(
        `INSERT INTO webhook_events (id, workspace_id, type, message, occurred_at) VALUES ($1, $2, $3, $4, $5)`,
        [event.id, workspaceId, event.type, JSON.stringify(event), event.occurredAt],
      );
      const rows = await queryRows<DeliveryRow>(
        em,
        `INSERT INTO webhook_deliveries (id, workspace_id, target_id, event_id, event_type, customer_id, traceparent,
                                         status, manual_retry, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', true, now())
         RETURNING ${DELIVERY_COLUMNS}`,
        [newId('whDelivery'), workspaceId, targetId, event.id, event.type, event.customerId, traceparent],
      );
      return toDeliveryView(rows[0]);
    });
  }
}
