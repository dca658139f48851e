import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@app/auth';
import { validateBatchItem } from './batch-item.validator';
import { countBatchItems } from './batch.metrics';
import type { CreateCustomerEventDto } from './dto/create-customer-event.dto';
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

  /** One event: answered only once the broker acknowledged it (or a replay of the key's first answer). */
  async ingest(
    auth: AuthContext,
    dto: CreateCustomerEventDto,
    idempotencyKey?: string,
  ): Promise<CustomerEventResponse> {
    const [outcome] = await this.ingestion.ingest(auth, [{ dto, idempotencyKey }]);
    if (!outcome.ok) throw outcome.error;
    return outcome.event;
  }

  /** Many events: each item validated on its own; the valid ones are ingested together. */
  async ingestBatch(auth: AuthContext, body: CustomerEventBatchDto): Promise<CustomerEventBatchResponse> {
    const results = new Array<CustomerEventBatchResult>(body.events.length);
    const requests: IngestRequest[] = [];
    const positions: number[] = [];
    const validated = await Promise.all(body.events.map(validateBatchItem));
    validated.forEach((result, index) => {
      if ('error' in result) {
        results[index] = itemError(index, result.error);
        return;
      }
      const { idempotencyKey, ...dto } = result.item;
      requests.push({ dto, idempotencyKey });
      positions.push(index);
    });
    const outcomes = await this.ingestion.ingest(auth, requests);
    outcomes.forEach((outcome, i) => (results[positions[i]] = itemResult(positions[i], outcome)));
    countBatchItems(results);
    return batchResponse(results);
  }
}
