/**
 * What an attempt ended with and where its delivery goes next: the queue's vocabulary. The dispatch feature
 * produces these (it sends and classifies); the queue records them and the delivery log shows them.
 */
export type AttemptOutcome =
  | 'success'
  | 'http_error'
  | 'redirect'
  | 'gone'
  | 'timeout'
  | 'network_error'
  | 'refused'
  /** The dispatcher could not render or sign the attempt; nothing was sent. */
  | 'internal_error';

/** What an attempt sent, as the delivery log keeps it: signatures masked, the body bounded. */
export interface SentRequest {
  headers: Record<string, string>;
  body: string;
}

export interface ClassifiedAttempt {
  outcome: AttemptOutcome;
  statusCode: number | null;
  error: string | null;
  responseBody: string | null;
  durationMs: number;
  retryAfterMs?: number;
  /** What was sent; absent when nothing could be (see internal_error). */
  request?: SentRequest;
  responseHeaders?: Record<string, string>;
}

export type NextDeliveryState =
  | { status: 'succeeded' }
  | { status: 'failed' }
  | { status: 'pending'; at: Date }
  | { status: 'pending'; delayMs: number };
