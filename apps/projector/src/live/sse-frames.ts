/** Server-Sent Events wire format (WHATWG HTML, "server-sent events"): one frame per event. */
export interface SseEvent {
  event: string;
  data: unknown;
  id?: string;
}

/** JSON.stringify never emits a raw line break, so `data` is always a single line. */
export function sseFrame({ event, data, id }: SseEvent): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** How long a client waits before it reconnects. */
export function sseRetry(ms: number): string {
  return `retry: ${ms}\n\n`;
}

/** A comment line: keeps proxies and load balancers from closing an idle stream. */
export const SSE_KEEP_ALIVE = ': keep-alive\n\n';
