import type { AppProcess } from './app-process';
import { type Answer, jsonOf, sendRaw } from './hostile-http';

/**
 * Probes for the hostile-input suite: a request, what it must get (refused, any non-5xx answer, or accepted), run
 * a few at a time with a bound per request, every outcome logged for the figures.
 */

/** A request that has not answered by then counts as a hang (the server's own timeouts are far shorter). */
export const PER_REQUEST_MS = 20_000;
const CONCURRENCY = 6;

export type Expectation = 'refuse' | 'safe' | 'accept';
export interface Outcome {
  app: string;
  label: string;
  status: number;
  ms: number;
  problem?: string;
}
export interface Probe {
  app: AppProcess;
  label: string;
  expect: Expectation;
  /** Allowed statuses for a refusal (any 4xx when absent). */
  allowed?: number[];
  /** Raw socket answers: a close without an answer is acceptable (slow-loris). */
  closeOk?: boolean;
  run: () => Promise<Answer>;
  /** A further check of the answer, for what its status alone does not say. */
  check?: (answer: Answer) => string | undefined;
  /** Called with a 2xx answer: records what was acknowledged. */
  onSuccess?: (answer: Answer) => void;
}

/** Every outcome of the file's probes, for the figures. */
export const outcomes: Outcome[] = [];

export async function hit(
  baseUrl: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; rawBody?: string | Buffer; json?: unknown } = {},
): Promise<Answer> {
  const headers = { ...options.headers };
  let body = options.rawBody;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(PER_REQUEST_MS),
  });
  const text = await response.text();
  return { status: response.status, text, body: jsonOf(text), headers: response.headers };
}

export async function raw(port: number, request: string | Buffer): Promise<Answer> {
  return asRawAnswer(await sendRaw(port, request, PER_REQUEST_MS));
}

function isEnvelope(answer: Answer): boolean {
  const body = answer.body as
    { success?: unknown; error?: { code?: unknown; message?: unknown } } | undefined;
  return (
    body?.success === false &&
    typeof body.error?.code === 'string' &&
    typeof body.error.message === 'string' &&
    !/\n\s+at |node_modules|QueryFailedError|syntax error at or near/.test(answer.text)
  );
}

function judge(probe: Probe, answer: Answer): string | undefined {
  const { status } = answer;
  if (status === 0) return probe.closeOk ? undefined : 'closed without an answer';
  if (status >= 500) return `5xx: ${answer.text.slice(0, 200)}`;
  if (status >= 400 && !isEnvelope(answer)) return `not the envelope: ${answer.text.slice(0, 200)}`;
  if (probe.expect === 'refuse') {
    if (status < 400) return `accepted (${status}): ${answer.text.slice(0, 200)}`;
    if (probe.allowed && !probe.allowed.includes(status))
      return `${status}, expected ${probe.allowed.join('/')}`;
  }
  if (probe.expect === 'accept' && (status < 200 || status >= 300))
    return `refused (${status}): ${answer.text.slice(0, 200)}`;
  return probe.check?.(answer);
}

/** Runs the probes, CONCURRENCY at a time; returns the problems found (one line each). */
export async function runProbes(probes: Probe[]): Promise<string[]> {
  const problems: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < probes.length) {
      const probe = probes[next++];
      const started = Date.now();
      let outcome: Outcome;
      try {
        const answer = await probe.run();
        const problem = judge(probe, answer);
        if (answer.status >= 200 && answer.status < 300) probe.onSuccess?.(answer);
        outcome = {
          app: probe.app.name,
          label: probe.label,
          status: answer.status,
          ms: Date.now() - started,
          problem,
        };
      } catch (error) {
        const message = (error as Error).name === 'TimeoutError' ? 'hang' : (error as Error).message;
        outcome = {
          app: probe.app.name,
          label: probe.label,
          status: -1,
          ms: Date.now() - started,
          problem: message,
        };
      }
      outcomes.push(outcome);
      if (outcome.problem) problems.push(`${outcome.app} ${outcome.label}: ${outcome.problem}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return problems;
}

export function asRawAnswer(answer: { status: number; text: string }): Answer {
  const text = answer.text.slice(answer.text.indexOf('\r\n\r\n') + 4);
  return { status: answer.status, text, body: jsonOf(text), headers: new Headers() };
}
