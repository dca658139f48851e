import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@app/auth';
import type { ValidationError } from '@app/http';
import type { TraceContext } from '@app/observability/tracing';
import { validateBatchItem } from './batch-item.validator';
import { countBatchItems } from './batch.metrics';
import type { CreateCustomerEventDto } from './dto/create-customer-event.dto';
import type { CustomerEventBatchItemDto } from './dto/customer-event-batch-item.dto';
import type { CustomerEventBatchDto } from './dto/customer-event-batch.dto';
import {
  batchResponse,
  type CustomerEventBatchResponse,
  type CustomerEventBatchResult,
  itemError,
  itemResult,
} from './dto/customer-event-batch.response';
import type { CustomerEventResponse } from './dto/customer-event.response';
import { EventIngestion } from './event-ingestion.service';
import type { IngestRequest } from './ingest-outcome';

@Injectable()
export class CustomerEventsService {
  constructor(private readonly ingestion: EventIngestion) {}

  /**
   * One event: answered only once the broker acknowledged it (or a replay of the key's first answer). `trace`:
   * the request's, by default the one of the request being handled.
   */
  async ingest(
    auth: AuthContext,
    dto: CreateCustomerEventDto,
    idempotencyKey?: string,
    trace?: TraceContext,
  ): Promise<CustomerEventResponse> {
    const [outcome] = await this.ingestion.ingest(auth, [{ dto, idempotencyKey }], trace);
    if (!outcome.ok) throw outcome.error;
    return outcome.event;
  }

  /** Many events: each item validated on its own; the valid ones are ingested together. */
  async ingestBatch(auth: AuthContext, body: CustomerEventBatchDto): Promise<CustomerEventBatchResponse> {
    return this.ingestBatchItems(auth, await Promise.all(body.events.map(validateBatchItem)));
  }

  /** A batch whose items are validated (each an item, or the error it is answered with), in their order. */
  async ingestBatchItems(
    auth: AuthContext,
    validated: ReadonlyArray<{ item: CustomerEventBatchItemDto } | { error: ValidationError }>,
    trace?: TraceContext,
  ): Promise<CustomerEventBatchResponse> {
    const results = new Array<CustomerEventBatchResult>(validated.length);
    const requests: IngestRequest[] = [];
    const positions: number[] = [];
    validated.forEach((result, index) => {
      if ('error' in result) {
        results[index] = itemError(index, result.error);
        return;
      }
      const { idempotencyKey, ...dto } = result.item;
      requests.push({ dto, idempotencyKey });
      positions.push(index);
    });
    const outcomes = await this.ingestion.ingest(auth, requests, trace);
    outcomes.forEach((outcome, i) => (results[positions[i]] = itemResult(positions[i], outcome)));
    countBatchItems(results);
    return batchResponse(results);
  }
}
