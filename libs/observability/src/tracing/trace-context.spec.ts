import { setTimeout as sleep } from 'node:timers/promises';
import { currentTrace, holdTraceContext, runInTrace, runOutsideTrace, traceLogFields } from './trace-context';
import type { TraceContext } from './traceparent';

const trace = (n: number): TraceContext => ({
  traceId: String(n).padStart(32, '0'),
  spanId: String(n).padStart(16, '0'),
  sampled: true,
});

/** What `currentTrace()` gives in a timer started now and run `ms` later (a continuation of the current work). */
function seenLater(ms = 5): Promise<TraceContext | undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(currentTrace()), ms));
}

/** `seenLater()` started by synchronous work run in `context` (runInTrace holds nothing once it returns). */
function seenLaterIn(context: TraceContext): Promise<TraceContext | undefined> {
  let later: Promise<TraceContext | undefined> | undefined;
  runInTrace(context, () => {
    later = seenLater();
  });
  return later!;
}

describe('trace context', () => {
  it('is seen by the work run in it and by everything the work awaits, and not outside it', async () => {
    const seen: Array<TraceContext | undefined> = [];
    await runInTrace(trace(1), async () => {
      seen.push(currentTrace());
      await sleep(1);
      seen.push(currentTrace(), traceLogFields().traceId as never);
    });

    expect(seen).toEqual([trace(1), trace(1), trace(1).traceId]);
    expect(currentTrace()).toBeUndefined();
    expect(traceLogFields()).toEqual({});
  });

  it('is off once nothing holds it: work that outlives runInTrace and its promise sees no trace', async () => {
    const later = seenLaterIn(trace(2));

    expect(await later).toBeUndefined();
  });

  it('stays on for as long as a hold lasts, for every trace entered meanwhile', async () => {
    const release = holdTraceContext();
    const first = seenLaterIn(trace(3));
    const second = seenLaterIn(trace(4));

    expect(await first).toEqual(trace(3));
    expect(await second).toEqual(trace(4));
    release();
    const after = seenLaterIn(trace(5));
    expect(await after).toBeUndefined();
  });

  it('counts holds: releasing one twice does not release another', async () => {
    const first = holdTraceContext();
    const second = holdTraceContext();
    first();
    first();
    const seen = seenLaterIn(trace(6));

    expect(await seen).toEqual(trace(6));
    second();
  });

  it('is held until a promise returned by the work settles, rejected or not', async () => {
    let during: Promise<TraceContext | undefined> | undefined;
    await expect(
      runInTrace(trace(7), async () => {
        during = seenLater(1);
        await sleep(10);
        throw new Error('failed');
      }),
    ).rejects.toThrow('failed');

    expect(await during).toEqual(trace(7));
  });

  it('is released when the work throws', async () => {
    expect(() =>
      runInTrace(trace(8), () => {
        throw new Error('failed');
      }),
    ).toThrow('failed');
    const later = seenLaterIn(trace(9));

    expect(await later).toBeUndefined();
  });

  it('runs shared work outside the trace, which goes on for the rest of the request', async () => {
    const seen: Array<TraceContext | undefined> = [];
    await runInTrace(trace(10), async () => {
      await runOutsideTrace(async () => {
        seen.push(currentTrace());
        await sleep(1);
        seen.push(currentTrace());
      });
      seen.push(currentTrace());
    });

    expect(seen).toEqual([undefined, undefined, trace(10)]);
    expect(runOutsideTrace(() => 'result')).toBe('result');
  });
});
