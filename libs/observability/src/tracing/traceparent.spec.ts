import { continueTrace, formatTraceparent, parseTraceparent } from './traceparent';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

describe('traceparent', () => {
  it('reads the specification example, sampled', () => {
    expect(parseTraceparent(`00-${TRACE_ID}-${SPAN_ID}-01`)).toEqual({
      traceId: TRACE_ID,
      parentSpanId: SPAN_ID,
      sampled: true,
    });
  });

  it('reads the sampled bit alone out of the flags', () => {
    expect(parseTraceparent(`00-${TRACE_ID}-${SPAN_ID}-00`)?.sampled).toBe(false);
    expect(parseTraceparent(`00-${TRACE_ID}-${SPAN_ID}-03`)?.sampled).toBe(true);
  });

  it('reads the first four fields of a later version, extra fields and all', () => {
    expect(parseTraceparent(`cc-${TRACE_ID}-${SPAN_ID}-01-what-the-future-brings`)?.traceId).toBe(TRACE_ID);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['upper-case hex', `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01`],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${SPAN_ID}-01`],
    ['an all-zero span id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['version ff', `ff-${TRACE_ID}-${SPAN_ID}-01`],
    ['version 00 with an extra field', `00-${TRACE_ID}-${SPAN_ID}-01-extra`],
    ['a short trace id', `00-${TRACE_ID.slice(1)}-${SPAN_ID}-01`],
    ['garbage', 'not a trace'],
  ])('ignores %s', (_, header) => {
    expect(parseTraceparent(header)).toBeUndefined();
  });

  it("continues the caller's trace with a span of its own, keeping the caller's sampling decision", () => {
    const sut = continueTrace(`00-${TRACE_ID}-${SPAN_ID}-01`);
    expect(sut).toEqual({
      traceId: TRACE_ID,
      parentSpanId: SPAN_ID,
      spanId: expect.any(String),
      sampled: true,
    });
    expect(sut.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(sut.spanId).not.toBe(SPAN_ID);
    expect(formatTraceparent(sut)).toBe(`00-${TRACE_ID}-${sut.spanId}-01`);
  });

  it('starts a new, unsampled trace when the caller sent none or a malformed one', () => {
    const sut = continueTrace('00-garbage');
    expect(sut.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(sut.parentSpanId).toBeUndefined();
    expect(formatTraceparent(sut)).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    expect(parseTraceparent(formatTraceparent(sut))).toMatchObject({ traceId: sut.traceId, sampled: false });
  });
});
