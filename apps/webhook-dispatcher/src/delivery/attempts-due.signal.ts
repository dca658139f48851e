import { Injectable } from '@nestjs/common';

/**
 * The queue's event "attempts are due now": new deliveries were recorded, a retry was asked for, an example
 * queued, failed deliveries recovered. The queue raises it; whoever sends attempts (the dispatch feature's
 * worker) listens and claims at once instead of at its next poll. Listeners run synchronously, in order.
 */
@Injectable()
export class AttemptsDue {
  private readonly listeners = new Set<() => void>();

  announce(): void {
    for (const listener of this.listeners) listener();
  }

  /** Returns the unsubscribe function. */
  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
