import { AsyncLocalStorage } from 'node:async_hooks';
import type { TraceContext } from './traceparent';

const storage = new AsyncLocalStorage<TraceContext>();

/** The trace of the work in progress (the request being handled), if any. */
export function currentTrace(): TraceContext | undefined {
  return storage.getStore();
}

/** Runs `work` (and everything it awaits) as part of `context`. */
export function runInTrace<T>(context: TraceContext, work: () => T): T {
  return storage.run(context, work);
}

/** Runs `work` outside any trace: shared work (a produce request for many callers) belongs to none of them. */
export function runOutsideTrace<T>(work: () => T): T {
  return storage.exit(work);
}

/** Fields every log line written inside a trace carries (pino's mixin). */
export function traceLogFields(): { traceId?: string } {
  const context = storage.getStore();
  return context ? { traceId: context.traceId } : {};
}
