import { connect } from 'node:net';
import type { AppProcess } from './app-process';
import { rssKiB } from './process-stats';

/** One answer, whatever it is: hostile tests look at every status, so nothing here throws on a 4xx/5xx. */
export interface Answer {
  status: number;
  text: string;
  body: any;
  headers: Headers;
}

let sent = 0;
/** Requests sent by the hostile helpers in this test file, for the report. */
export const requestsSent = () => sent;

export async function send(
  baseUrl: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; rawBody?: string | Buffer; json?: unknown } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | Buffer | undefined = options.rawBody;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  }
  sent++;
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body, redirect: 'manual' });
  const text = await response.text();
  return { status: response.status, text, body: jsonOf(text), headers: response.headers };
}

/**
 * A request written byte for byte on a fresh socket: what no well-behaved client library would send
 * (malformed percent-escapes, control characters, huge headers). Resolves with the status line's code, or 0
 * when the server closed the connection without an HTTP answer.
 */
/** The parsed JSON of an answer's text; undefined when it is empty or not JSON. */
export function jsonOf(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

export function sendRaw(
  port: number,
  raw: Buffer | string,
  timeoutMs = 10_000,
): Promise<{ status: number; text: string }> {
  sent++;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms to ${String(raw).slice(0, 100)}`));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      // One complete answer is enough (the server may keep the connection open).
      const text = Buffer.concat(chunks).toString('latin1');
      const head = text.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: *(\d+)/i.exec(text);
      if (head >= 0 && (!length || text.length - head - 4 >= Number(length[1]))) socket.destroy();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: match ? Number(match[1]) : 0, text });
    });
    // Not half-closed after writing: a server that sees the client's FIN may close without answering.
    socket.write(raw);
  });
}

/** The refusal every bad request must get: a 4xx with the error envelope, and no stack trace or internals. */
export function expectRefusal(answer: Answer, allowed: number[] = []): void {
  const context = `${answer.status} ${answer.text.slice(0, 300)}`;
  if (answer.status < 400 || answer.status >= 500) throw new Error(`expected a 4xx, got ${context}`);
  if (allowed.length > 0 && !allowed.includes(answer.status))
    throw new Error(`expected one of ${allowed.join('/')}, got ${context}`);
  expectCleanError(answer);
}

/** Never a 5xx; any error body is the envelope without internals. */
export function expectNoServerError(answer: Answer): void {
  if (answer.status >= 500) throw new Error(`server error: ${answer.status} ${answer.text.slice(0, 300)}`);
  if (answer.status >= 400) expectCleanError(answer);
}

function expectCleanError(answer: Answer): void {
  const body = answer.body as
    { success?: unknown; error?: { code?: unknown; message?: unknown } } | undefined;
  if (
    body?.success !== false ||
    typeof body.error?.code !== 'string' ||
    typeof body.error.message !== 'string'
  )
    throw new Error(`not the error envelope: ${answer.status} ${answer.text.slice(0, 300)}`);
  // (SQL keywords may be the client's own input echoed back; driver and parser messages may not.)
  if (
    /\n\s+at |node_modules|\/work\/|QueryFailedError|syntax error at or near|relation "|violates /.test(
      answer.text,
    )
  )
    throw new Error(`internals in an error body: ${answer.text.slice(0, 500)}`);
}

/** RSS of an app before and after some work, and whether it is still up and live afterwards. */
export async function afterwardsHealthy(app: AppProcess): Promise<void> {
  if (app.child.exitCode !== null || app.child.signalCode !== null)
    throw new Error(`${app.name} is gone:\n${app.logs.slice(-2000)}`);
  const live = await fetch(`${app.url}/health/live`);
  if (live.status !== 200) throw new Error(`${app.name} /health/live answered ${live.status}`);
}

/**
 * After a spec's hostile traffic: checks the app is still up and live, prints what it went through, and returns
 * its RSS now (MiB), for the spec to compare with its RSS before.
 */
export async function rssAfterwards(spec: string, seed: number, app: AppProcess, baselineMiB: number) {
  await afterwardsHealthy(app);
  const after = rssMiB(app);
  process.stdout.write(
    `${spec} (seed ${seed}): ${requestsSent()} requests; RSS ${baselineMiB} MiB after warm-up, ${after} MiB after\n`,
  );
  return after;
}

export function rssMiB(app: AppProcess): number {
  const kib = rssKiB(app.child.pid);
  if (kib === undefined) throw new Error(`${app.name}: no RSS (is it running?)`);
  return Math.round(kib / 1024);
}
