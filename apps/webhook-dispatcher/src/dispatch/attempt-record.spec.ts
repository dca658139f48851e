import {
  attemptTraceparent,
  MASKED,
  recordedRequest,
  recordedResponseHeaders,
  REQUEST_BODY_LIMIT_BYTES,
} from './attempt-record';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

describe('what the delivery log keeps of an attempt', () => {
  it('masks every signature header, whatever its case, and keeps the others as sent', () => {
    const sut = recordedRequest(
      {
        'Plain-Request-Signature': 'abc',
        'Plain-Request-Signature-Previous': 'def',
        'webhook-signature': 'v1,xyz v1,uvw',
        'Webhook-Id': 'pEv_1',
        'Plain-Event-Type': 'customer.customer_updated',
      },
      '{}',
    );
    expect(sut.headers).toEqual({
      'Plain-Request-Signature': MASKED,
      'Plain-Request-Signature-Previous': MASKED,
      'webhook-signature': MASKED,
      'Webhook-Id': 'pEv_1',
      'Plain-Event-Type': 'customer.customer_updated',
    });
  });

  it('keeps a body up to the limit, cut on a character boundary', () => {
    expect(recordedRequest({}, '{"a":1}').body).toBe('{"a":1}');
    const long = 'é'.repeat(REQUEST_BODY_LIMIT_BYTES);
    const kept = recordedRequest({}, long).body;
    expect(Buffer.byteLength(kept)).toBeLessThanOrEqual(REQUEST_BODY_LIMIT_BYTES);
    expect(kept).toBe('é'.repeat(REQUEST_BODY_LIMIT_BYTES / 2));
  });

  it("bounds a receiver's headers in number and length", () => {
    const many = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`x-${i}`, 'v'.repeat(5000)]));
    const sut = recordedResponseHeaders(many);
    expect(Object.keys(sut)).toHaveLength(50);
    expect(sut['x-0']).toHaveLength(1000);
  });
});

describe(attemptTraceparent.name, () => {
  it("keeps the change's trace and sampling, with a span of the attempt's own", () => {
    const sut = attemptTraceparent(`00-${TRACE_ID}-${SPAN_ID}-01`);
    expect(sut).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    expect(sut).not.toContain(SPAN_ID);
    expect(attemptTraceparent(`00-${TRACE_ID}-${SPAN_ID}-00`)).toMatch(/-00$/);
  });

  it('sends none for a change without a trace or with a malformed one', () => {
    expect(attemptTraceparent(null)).toBeUndefined();
    expect(attemptTraceparent('garbage')).toBeUndefined();
  });
});
