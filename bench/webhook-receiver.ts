import { type ReceivedWebhook, WebhookReceiver } from '../test/support/webhook-receiver';

export interface FirstAttempt {
  eventId: string;
  receivedAt: number;
  /** payload.customer.updatedAt: when the change was made (same machine clock). */
  changedAt: number;
  body: string;
}

/** Per path: first attempts (deduplicated by event id), later attempts counted. */
class Endpoint {
  readonly firsts: FirstAttempt[] = [];
  readonly seen = new Set<string>();
  retries = 0;
  duplicates = 0;
  total = 0;
  keepBodies = true;

  record({ body, json, headers, receivedAt }: ReceivedWebhook): void {
    this.total++;
    const attempt = headers['plain-webhook-delivery-attempt-number'];
    if (typeof attempt === 'string' && attempt !== '1') {
      this.retries++;
      return;
    }
    if (json === undefined) return;
    const eventId = typeof json?.id === 'string' ? json.id : `#${this.total}`;
    if (this.seen.has(eventId)) {
      this.duplicates++;
      return;
    }
    this.seen.add(eventId);
    const updatedAt = json?.payload?.customer?.updatedAt;
    this.firsts.push({
      eventId,
      receivedAt,
      changedAt: typeof updatedAt === 'string' ? Date.parse(updatedAt) : NaN,
      body: this.keepBodies ? body : '',
    });
  }

  /** First attempts per second between the first and the last one received. */
  ratePerS(): number {
    return windowRate(this.firsts);
  }
}

/** Arrivals per second over the window from the first to the last one. */
export function windowRate(firsts: readonly FirstAttempt[]): number {
  if (firsts.length < 2) return NaN;
  const times = firsts.map((f) => f.receivedAt);
  const span = Math.max(...times) - Math.min(...times);
  return span > 0 ? ((firsts.length - 1) * 1000) / span : NaN;
}

/** The tests' receiver, answering 200 at once to every POST; counts when each webhook arrived, per path. */
export class WebhookTally {
  private readonly endpoints = new Map<string, Endpoint>();
  private receiver?: WebhookReceiver;

  static async start(): Promise<WebhookTally> {
    const tally = new WebhookTally();
    tally.receiver = await WebhookReceiver.start({
      record: false,
      onWebhook: (hook) => tally.endpoint(hook.path).record(hook),
    });
    return tally;
  }

  url(path: string): string {
    return this.receiver!.urlOf(path);
  }

  endpoint(path: string): Endpoint {
    let endpoint = this.endpoints.get(path);
    if (!endpoint) {
      endpoint = new Endpoint();
      this.endpoints.set(path, endpoint);
    }
    return endpoint;
  }

  close(): Promise<void> {
    return this.receiver!.close();
  }
}
