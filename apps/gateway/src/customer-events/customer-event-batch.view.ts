import type { DomainError, ErrorDetail, ErrorCode } from '@app/http';
import type { CustomerEventView } from './customer-event.view';
import type { IngestOutcome } from './ingest-outcome';

export interface BatchItemError {
  code: ErrorCode;
  message: string;
  details: ErrorDetail[];
}

export type BatchItemResult =
  | { index: number; success: true; data: CustomerEventView }
  | { index: number; success: false; error: BatchItemError };

/** What POST /customer-events/batch answers in `data`. */
export interface CustomerEventBatchView {
  accepted: number;
  rejected: number;
  results: BatchItemResult[];
}

export function itemError(index: number, error: DomainError): BatchItemResult {
  return {
    index,
    success: false,
    error: { code: error.code, message: error.message, details: error.details },
  };
}

export function itemResult(index: number, outcome: IngestOutcome): BatchItemResult {
  return outcome.ok ? { index, success: true, data: outcome.event } : itemError(index, outcome.error);
}

export function batchView(results: BatchItemResult[]): CustomerEventBatchView {
  const accepted = results.filter((r) => r.success).length;
  return { accepted, rejected: results.length - accepted, results };
}
