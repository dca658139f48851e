import type { CustomerEventMessage } from '@app/contracts';
import type { IdempotencyRecord } from '../idempotency';
import { type Item, planRound, toItem } from './ingest-plan';

const dto = (type = 'order.placed') => ({ customerExternalId: 'user_42', type });
const keyed = (index: number, key: string, type?: string): Item =>
  toItem({ dto: dto(type), idempotencyKey: key }, index);
const recordOf = (item: Item, extra: Partial<IdempotencyRecord> = {}): IdempotencyRecord => ({
  key: item.key!,
  requestHash: item.hash!,
  message: { id: 'cev_stored', customerId: 'c_1', type: 'order.placed', payload: {} } as CustomerEventMessage,
  status: 'completed',
  attempt: 1,
  abandoned: false,
  ...extra,
});
const indexes = (items: Array<{ index: number } | { item: { index: number } }>) =>
  items.map((i) => ('item' in i ? i.item.index : i.index));

describe(planRound.name, () => {
  it('sends requests without a key and keys nobody holds to be published', () => {
    const plan = planRound([toItem({ dto: dto() }, 0), keyed(1, 'k1')], new Map());

    expect(indexes(plan.fresh)).toEqual([0, 1]);
    expect([plan.waiting, plan.takeovers, plan.settled]).toEqual([[], [], []]);
  });

  it('answers a completed key with its stored event and a reused key with 422', () => {
    const [done, reused] = [keyed(0, 'done'), keyed(1, 'reused', 'order.paid')];
    const records = new Map([
      ['done', recordOf(done)],
      ['reused', recordOf(keyed(9, 'reused'))],
    ]);

    const plan = planRound([done, reused], records);

    expect(plan.settled.map((s) => s.outcome.ok && s.outcome.event.id)).toEqual(['cev_stored', false]);
    expect(plan.settled[1].outcome).toMatchObject({ ok: false, error: { code: 'IDEMPOTENCY_KEY_REUSED' } });
  });

  it('waits on a key in flight and takes over an abandoned one', () => {
    const [busy, dead] = [keyed(0, 'busy'), keyed(1, 'dead')];
    const records = new Map([
      ['busy', recordOf(busy, { status: 'in_flight' })],
      ['dead', recordOf(dead, { status: 'in_flight', abandoned: true })],
    ]);

    const plan = planRound([busy, dead], records);

    expect(indexes(plan.waiting)).toEqual([0]);
    expect(indexes(plan.takeovers)).toEqual([1]);
  });

  it('lets the first item of a batch act for its key: the same body waits for it, another body is refused', () => {
    const plan = planRound([keyed(0, 'k'), keyed(1, 'k'), keyed(2, 'k', 'order.paid')], new Map());

    expect(indexes(plan.fresh)).toEqual([0]);
    expect(indexes(plan.waiting)).toEqual([1]);
    expect(plan.settled.map((s) => [s.item.index, !s.outcome.ok && s.outcome.error.code])).toEqual([
      [2, 'IDEMPOTENCY_KEY_REUSED'],
    ]);
  });

  it('has only one item take over an abandoned key; the others with that key wait', () => {
    const [first, second] = [keyed(0, 'dead'), keyed(1, 'dead')];
    const records = new Map([['dead', recordOf(first, { status: 'in_flight', abandoned: true })]]);

    const plan = planRound([first, second], records);

    expect(indexes(plan.takeovers)).toEqual([0]);
    expect(indexes(plan.waiting)).toEqual([1]);
  });
});
