import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

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

  record(body: string, attemptHeader: string | undefined, receivedAt: number): void {
    this.total++;
    if (attemptHeader !== undefined && attemptHeader !== '1') {
      this.retries++;
      return;
    }
    let json: any;
    try {
      json = JSON.parse(body);
    } catch {
      return;
    }
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

/** A local receiver answering 200 at once to every POST, recording when each webhook arrived. */
export class WebhookReceiver {
  private readonly endpoints = new Map<string, Endpoint>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    const server = createServer({ keepAliveTimeout: 30_000 });
    const receiver = new WebhookReceiver(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const receivedAt = Date.now();
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
        const attempt = req.headers['plain-webhook-delivery-attempt-number'];
        receiver
          .endpoint(req.url ?? '/')
          .record(
            Buffer.concat(chunks).toString('utf8'),
            typeof attempt === 'string' ? attempt : undefined,
            receivedAt,
          );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  endpoint(path: string): Endpoint {
    let endpoint = this.endpoints.get(path);
    if (!endpoint) {
      endpoint = new Endpoint();
      this.endpoints.set(path, endpoint);
    }
    return endpoint;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
