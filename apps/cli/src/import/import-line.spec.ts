import { idempotencyKeyOf, isReject, parseLine } from './import-line';

describe(parseLine.name, () => {
  it('gives each line an idempotency key derived from file, line number and content', () => {
    const raw = '{"customerExternalId":"user_42","type":"order.placed"}';
    const item = parseLine('events.ndjson', 7, raw);
    expect(item && !isReject(item) && item.event.idempotencyKey).toBe(
      idempotencyKeyOf('events.ndjson', 7, raw),
    );
    expect(idempotencyKeyOf('events.ndjson', 7, raw)).toBe(idempotencyKeyOf('events.ndjson', 7, raw));
    expect(idempotencyKeyOf('events.ndjson', 8, raw)).not.toBe(idempotencyKeyOf('events.ndjson', 7, raw));
    expect(idempotencyKeyOf('other.ndjson', 7, raw)).not.toBe(idempotencyKeyOf('events.ndjson', 7, raw));
    expect(idempotencyKeyOf('events.ndjson', 7, raw).length).toBeLessThanOrEqual(255);
  });

  it('keeps an idempotencyKey the line already has', () => {
    const item = parseLine('f', 1, '{"customerExternalId":"a","type":"b","idempotencyKey":"mine"}');
    expect(item && !isReject(item) && item.event.idempotencyKey).toBe('mine');
  });

  it('rejects lines that are not JSON objects locally, and skips blank lines', () => {
    expect(parseLine('f', 1, '{oops')).toMatchObject({ line: 1, error: { code: 'VALIDATION_ERROR' } });
    expect(parseLine('f', 2, '[1,2]')).toMatchObject({
      line: 2,
      error: { message: 'the line is not a JSON object' },
    });
    expect(parseLine('f', 3, '   ')).toBeUndefined();
  });
});
