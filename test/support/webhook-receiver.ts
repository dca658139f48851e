import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as plain20240918 from 'plain-sdk-2024-09-18';
import * as plain20250806 from 'plain-sdk-2025-08-06';
import * as plain20260227 from 'plain-sdk-2026-02-27';
import { Webhook } from 'standardwebhooks';
import { eventually } from './eventually';

/** One request as the receiver got it: the raw body is what signatures cover. */
export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
  receivedAt: number;
}

export interface ReceiverAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

type Responder = (hook: ReceivedWebhook, index: number) => ReceiverAnswer | Promise<ReceiverAnswer>;

export interface ReceiverOptions {
  /** Keep every request in `received` (the default); a long benchmark counts them in `onWebhook` instead. */
  record?: boolean;
  /** Sees every request once it is answered. */
  onWebhook?: (hook: ReceivedWebhook) => void;
}

/** A real HTTP receiver on 127.0.0.1 that records every webhook and answers as the test says. */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly responders = new Map<string, Responder>();

  private constructor(private readonly server: Server) {}

  static async start(options: ReceiverOptions = {}): Promise<WebhookReceiver> {
    const record = options.record ?? true;
    const server = createServer({ keepAliveTimeout: 30_000 });
    const receiver = new WebhookReceiver(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const hook: ReceivedWebhook = {
          path: req.url ?? '/',
          headers: req.headers,
          body,
          json: safeJson(body),
          receivedAt: Date.now(),
        };
        const responder = receiver.responders.get(hook.path);
        const index = responder ? receiver.requestsOn(hook.path).length : 0;
        if (record) receiver.received.push(hook);
        void Promise.resolve(responder ? responder(hook, index) : { status: 200, body: 'ok' }).then(
          (answer) => {
            res.writeHead(answer.status, answer.headers);
            res.end(answer.body ?? '');
            options.onWebhook?.(hook);
          },
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  /** The URL of `path` on this receiver. */
  urlOf(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** A fresh URL on this receiver; `respond` decides the answers to requests on it (200 "ok" by default). */
  endpoint(respond?: Responder): string {
    const path = `/hooks/${Math.random().toString(36).slice(2)}`;
    if (respond) this.responders.set(path, respond);
    return this.urlOf(path);
  }

  requestsTo(url: string): ReceivedWebhook[] {
    return this.requestsOn(new URL(url).pathname);
  }

  private requestsOn(path: string): ReceivedWebhook[] {
    return this.received.filter((h) => h.path === path);
  }

  /** Waits until `url` got at least `count` requests, and returns them. */
  waitFor(url: string, count: number, timeoutMs = 30000): Promise<ReceivedWebhook[]> {
    return eventually(() => {
      const hooks = this.requestsTo(url);
      if (hooks.length < count) throw new Error(`${url} got ${hooks.length} of ${count} webhooks`);
      return hooks;
    }, timeoutMs);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export type PlainVersion = '2024-09-18' | '2025-08-06' | '2026-02-27';

/** Plain's own SDK for each webhook version: the oracle for the bodies and signatures. */
export const PLAIN_SDK = {
  '2024-09-18': plain20240918,
  '2025-08-06': plain20250806,
  '2026-02-27': plain20260227,
} as const;

function header(hook: ReceivedWebhook, name: string): string {
  const value = hook.headers[name.toLowerCase()];
  if (typeof value !== 'string') throw new Error(`missing header ${name}`);
  return value;
}

/**
 * Checks a delivered webhook the way receivers will: the version's parsePlainWebhook, verifyPlainWebhook with
 * the secret, and Standard Webhooks' verify. Returns the parsed body.
 */
export function verifyWithOracles(hook: ReceivedWebhook, version: PlainVersion, secret: string): any {
  const sdk = PLAIN_SDK[version];
  const parsed = sdk.parsePlainWebhook(hook.body);
  if (parsed.error) throw new Error(`parsePlainWebhook ${version}: ${parsed.error.message}`);
  const verified = sdk.verifyPlainWebhook(hook.body, header(hook, 'Plain-Request-Signature'), secret);
  if (verified.error) throw new Error(`verifyPlainWebhook ${version}: ${verified.error.message}`);
  const standard = {
    'webhook-id': header(hook, 'webhook-id'),
    'webhook-timestamp': header(hook, 'webhook-timestamp'),
    'webhook-signature': header(hook, 'webhook-signature'),
  };
  new Webhook(secret).verify(hook.body, standard);
  return parsed.data;
}
