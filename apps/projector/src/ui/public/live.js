// Server-Sent Events read with fetch: EventSource cannot send the X-API-Key header, and a key in the URL
// would end up in logs. Same protocol: `id`, `event` and `data` fields, and Last-Event-ID on reconnect.

const MAX_BACKOFF_MS = 30_000;

/** Splits the text/event-stream body into events and hands each to `onEvent({ id, event, data })`. */
async function readEvents(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let event = { event: 'message', data: [] };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    const lines = buffer.split(/\r\n|\r|\n/);
    buffer = lines.pop();
    for (const line of lines) {
      if (line === '') {
        if (event.data.length > 0) onEvent({ ...event, data: event.data.join('\n') });
        event = { event: 'message', data: [] };
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') event.data.push(text);
      else if (field === 'event') event.event = text;
      else if (field === 'id') event.id = text;
    }
  }
}

/**
 * Keeps a stream open, reconnecting with Last-Event-ID (so nothing is missed in between) and backing off
 * while the server is unreachable. 401 and 404 are final. Returns `{ close }`.
 */
export function openLiveStream(url, apiKey, handlers) {
  let lastEventId;
  let stopped = false;
  let controller;
  let failures = 0;

  async function connectOnce() {
    controller = new AbortController();
    const headers = { 'X-API-Key': apiKey, Accept: 'text/event-stream' };
    if (lastEventId) headers['Last-Event-ID'] = lastEventId;
    const response = await fetch(url, { headers, signal: controller.signal, cache: 'no-store' });
    if (response.status === 401 || response.status === 404) return 'final';
    if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
    handlers.onStatus('connected');
    await readEvents(response.body, (event) => {
      failures = 0;
      if (event.id !== undefined) lastEventId = event.id;
      if (event.event === 'reset') lastEventId = undefined;
      handlers.onEvent(event.event, JSON.parse(event.data));
    });
    return 'ended';
  }

  async function run() {
    while (!stopped) {
      try {
        if ((await connectOnce()) === 'final') {
          handlers.onStatus('refused');
          return;
        }
      } catch {
        failures += 1;
        handlers.onConnectFailed?.();
      }
      if (stopped) return;
      handlers.onStatus('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000 * 2 ** failures, MAX_BACKOFF_MS)));
    }
  }

  void run();
  return {
    close() {
      stopped = true;
      controller?.abort();
    },
  };
}
