import type { DomainError } from '@app/http';
import type { CustomerEventResponse } from './dto/customer-event.response';
import type { CreateCustomerEventDto } from './dto/create-customer-event.dto';

/** One event to ingest: a validated body, and the Idempotency-Key it came with, if any. */
export interface IngestRequest {
  dto: CreateCustomerEventDto;
  idempotencyKey?: string;
}

/** What became of one event: accepted (the answer), or refused with the error the client sees. */
export type IngestOutcome = { ok: true; event: CustomerEventResponse } | { ok: false; error: DomainError };

export const accepted = (event: CustomerEventResponse): IngestOutcome => ({ ok: true, event });
export const refused = (error: DomainError): IngestOutcome => ({ ok: false, error });
