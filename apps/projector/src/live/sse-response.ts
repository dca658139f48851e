import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import { SSE_KEEP_ALIVE, sseRetry } from './sse-frames';

/** Where a stream writes its frames. */
export interface EventSink {
  send(frame: string): void;
  close(): void;
  onClose(callback: () => void): void;
}

const RETRY_MS = 3000;
const KEEP_ALIVE_MS = 15_000;
/** A client this far behind is cut off; it reconnects with Last-Event-ID and resumes where it was. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/** An HTTP response taken over from Fastify and kept open as a `text/event-stream`. */
export class SseResponse implements EventSink {
  private readonly keepAlive: NodeJS.Timeout;
  private readonly closeCallbacks: Array<() => void> = [];
  private closed = false;

  private constructor(private readonly raw: ServerResponse) {
    raw.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      // Nginx and similar proxies would otherwise buffer the stream.
      'X-Accel-Buffering': 'no',
    });
    raw.write(sseRetry(RETRY_MS));
    this.keepAlive = setInterval(() => this.send(SSE_KEEP_ALIVE), KEEP_ALIVE_MS);
    raw.on('close', () => {
      if (!this.closed) this.finish();
    });
    // The client may have gone while the request was being checked: then 'close' was emitted already.
    if (raw.destroyed || !raw.socket || raw.socket.destroyed) this.finish();
  }

  /** Called once every check passed: from here on, errors can only end the stream. */
  static start(reply: FastifyReply): SseResponse {
    reply.hijack();
    return new SseResponse(reply.raw);
  }

  send(frame: string): void {
    if (this.closed) return;
    this.raw.write(frame);
    if (this.raw.writableLength > MAX_BUFFERED_BYTES) this.close();
  }

  close(): void {
    if (this.closed) return;
    this.raw.end();
    this.finish();
  }

  onClose(callback: () => void): void {
    if (this.closed) callback();
    else this.closeCallbacks.push(callback);
  }

  private finish(): void {
    this.closed = true;
    clearInterval(this.keepAlive);
    for (const callback of this.closeCallbacks.splice(0)) callback();
  }
}
