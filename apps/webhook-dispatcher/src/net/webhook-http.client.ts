import type { OnApplicationShutdown } from '@nestjs/common';
import { Agent, request } from 'undici';
import { isForbiddenAddress, ipLiteralOf } from './address-policy';
import { guardedLookup } from './guarded-lookup';

export const RESPONSE_EXCERPT_BYTES = 1024;
/** Read (and discard) at most this much of a response after the excerpt, so the connection can be reused. */
const DRAIN_LIMIT_BYTES = 64 * 1024;

export interface HttpClientOptions {
  timeoutMs: number;
  allowPrivateTargets: boolean;
  /** Sockets per origin; the keep-alive pools are per origin. */
  connectionsPerOrigin: number;
}

export type SendResult =
  | {
      kind: 'response';
      statusCode: number;
      headers: Record<string, string>;
      body: string;
      durationMs: number;
    }
  | { kind: 'error'; error: string; timedOut: boolean; refused: boolean; durationMs: number };

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function describeError(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  const cause = (error as { cause?: unknown })?.cause;
  const message = error instanceof Error ? error.message : String(error);
  const own = typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
  return cause instanceof Error && !own.includes(cause.message) ? `${own} (${cause.message})` : own;
}

/**
 * POSTs webhooks over keep-alive connection pools (one per origin), never following redirects, within a
 * whole-request timeout. Unless private targets are allowed, the address actually connected to is checked:
 * IP literals here, DNS names in the connector's lookup.
 */
export class WebhookHttpClient implements OnApplicationShutdown {
  private readonly agent: Agent;

  constructor(private readonly options: HttpClientOptions) {
    this.agent = new Agent({
      connections: options.connectionsPerOrigin,
      keepAliveTimeout: 10_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connect: {
        timeout: options.timeoutMs,
        ...(options.allowPrivateTargets ? {} : { lookup: guardedLookup }),
      },
    });
  }

  async post(url: string, headers: Record<string, string>, body: string): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const literal = ipLiteralOf(new URL(url).hostname);
    if (!this.options.allowPrivateTargets && literal !== undefined && isForbiddenAddress(literal)) {
      const error = `${literal} is a private, loopback or link-local address`;
      return { kind: 'error', error, timedOut: false, refused: true, durationMs: 0 };
    }
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    try {
      const response = await request(url, { method: 'POST', headers, body, signal, dispatcher: this.agent });
      const excerpt = await readExcerpt(response.body);
      const responseHeaders: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        const text = header(value);
        if (text !== undefined) responseHeaders[name] = text;
      }
      return {
        kind: 'response',
        statusCode: response.statusCode,
        headers: responseHeaders,
        body: excerpt,
        durationMs: elapsed(),
      };
    } catch (error) {
      const refused = (error as { code?: unknown })?.code === 'E_FORBIDDEN_ADDRESS';
      const timedOut = signal.aborted;
      const message = timedOut
        ? `no complete response within ${this.options.timeoutMs} ms`
        : describeError(error);
      return { kind: 'error', error: message, timedOut, refused, durationMs: elapsed() };
    }
  }

  /** Nest calls this after the worker has let its attempts finish. */
  async onApplicationShutdown(): Promise<void> {
    await this.agent.close();
  }
}

async function readExcerpt(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let kept = 0;
  let read = 0;
  for await (const chunk of body) {
    read += chunk.length;
    if (kept < RESPONSE_EXCERPT_BYTES) {
      chunks.push(chunk);
      kept += chunk.length;
    }
    if (read > DRAIN_LIMIT_BYTES) break;
  }
  // NUL cannot be stored in a PostgreSQL text column.
  return Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES).toString('utf8').replaceAll('\u0000', '');
}
