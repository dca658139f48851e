import { validateBatchItem } from './batch-item.validator';

describe(validateBatchItem.name, () => {
  it('accepts an item of the single-event shape with an optional idempotencyKey', async () => {
    const result = await validateBatchItem({
      customerExternalId: 'user_42',
      type: 'order.placed',
      payload: { orderId: 'ord_9001' },
      occurredAt: '2026-04-18T10:00:00Z',
      idempotencyKey: 'k1',
    });

    expect(result).toEqual({ item: expect.objectContaining({ type: 'order.placed', idempotencyKey: 'k1' }) });
  });

  it.each([null, 'order.placed', 42, [{ type: 'order.placed' }]])(
    'refuses %p: an item must be an object',
    async (raw) => {
      const result = await validateBatchItem(raw);

      expect(result).toEqual({ error: expect.objectContaining({ code: 'VALIDATION_ERROR' }) });
    },
  );

  it('names every invalid and unknown field of the item', async () => {
    const result = await validateBatchItem({
      customerExternalId: 'user_42',
      type: 'Order Placed',
      occured_at: '2026-04-18T10:00:00Z',
      idempotencyKey: '',
    });

    expect('error' in result && result.error.details.map((d) => d.field).sort()).toEqual([
      'idempotencyKey',
      'occured_at',
      'type',
    ]);
  });

  it('refuses an occurredAt whose offset pushes it out of the years 0001–9999, naming it', async () => {
    const result = await validateBatchItem({
      customerExternalId: 'user_42',
      type: 'order.placed',
      occurredAt: '9999-12-31T23:59:59-01:00',
    });

    expect('error' in result && result.error.details).toEqual([
      { field: 'occurredAt', message: expect.stringMatching(/0001 to 9999/) },
    ]);
  });
});
