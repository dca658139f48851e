import { AsyncLocalStorage } from 'node:async_hooks';
import { types } from 'node:util';
import type { TraceContext } from './traceparent';

const storage = new AsyncLocalStorage<TraceContext | undefined>();

/** Work that needs the async context now (a request being handled, a call of runInTrace not yet settled). */
let holds = 0;

/**
 * The async context is on only while something holds it. On Node 20 an enabled AsyncLocalStorage runs an
 * async_hooks `init` hook for every promise and native resource the process creates, whoever creates it:
 * measured, 8 % of the gateway's CPU per ingested event (interleaved runs of `ingest-single`). So the storage
 * is disabled whenever no work holds it, and the hot paths that know their trace (the gateway's direct ingest
 * path, every consumer) pass it along themselves instead of holding the context.
 *
 * The returned function releases this hold (once; later calls do nothing). Once the last hold is released,
 * `currentTrace()` is undefined everywhere until the next hold: hold for as long as the work's continuations
 * may read it.
 */
export function holdTraceContext(): () => void {
  holds += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holds -= 1;
    if (holds === 0) storage.disable();
  };
}

/** The trace of the work in progress (the request being handled), if any. */
export function currentTrace(): TraceContext | undefined {
  return storage.getStore();
}

/**
 * Runs `work` (and everything it awaits) as part of `context`. The context is held until `work` returns or,
 * when it returns a promise, until that promise settles; work that goes on after that (a request's handler
 * continued by a framework) needs a hold of its own (`holdTraceContext`).
 */
export function runInTrace<T>(context: TraceContext, work: () => T): T {
  const release = holdTraceContext();
  let result: T;
  try {
    result = storage.run(context, work);
  } catch (error) {
    release();
    throw error;
  }
  if (types.isPromise(result)) result.then(release, release);
  else release();
  return result;
}

/** Runs `work` outside any trace: shared work (a produce request for many callers) belongs to none of them. */
export function runOutsideTrace<T>(work: () => T): T {
  // Not storage.exit(): on Node 20 it disables the storage (its async_hooks with it) and enables it again.
  return holds === 0 ? work() : storage.run(undefined, work);
}

/** Fields every log line written inside a trace carries (pino's mixin). */
export function traceLogFields(): { traceId?: string } {
  const context = storage.getStore();
  return context ? { traceId: context.traceId } : {};
}
