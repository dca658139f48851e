import type { KafkaMessage } from 'kafkajs';
import { ContractViolationError, newId } from '@app/contracts';
import type { ConsumedRecord, TopicHandler } from './consumer-runner';
import { workspaceChecked } from './workspace-checked.handler';

interface Value {
  workspaceId: string;
}

const known = newId('w');
const record = (workspaceId: string): ConsumedRecord<Value> => ({
  value: { workspaceId },
  message: {} as KafkaMessage,
  topic: 't',
  partition: 0,
});

describe(workspaceChecked.name, () => {
  const applied: Value[][] = [];
  const inner: TopicHandler<Value> = {
    apply: (records) => {
      applied.push(records.map((r) => r.value));
      return Promise.resolve();
    },
    isPermanentError: (error) => error instanceof RangeError,
  };
  const sut = workspaceChecked(inner, (ids) => Promise.resolve(new Set(ids.filter((id) => id !== known))));

  beforeEach(() => applied.splice(0));

  it('applies a batch whose workspaces all exist', async () => {
    await sut.apply([record(known), record(known)]);
    expect(applied).toEqual([[{ workspaceId: known }, { workspaceId: known }]]);
  });

  it('refuses a batch naming an unknown workspace before applying anything, as a permanent contract violation', async () => {
    const stranger = newId('w');
    const refusal = sut.apply([record(known), record(stranger)]);
    await expect(refusal).rejects.toThrow(ContractViolationError);
    await expect(refusal).rejects.toThrow(`workspaceId: ${stranger} is not a known workspace`);
    expect(applied).toEqual([]);
    expect(sut.isPermanentError!(await refusal.catch((e: unknown) => e))).toBe(true);
  });

  it("keeps the inner handler's own idea of permanent errors, and retries the others", () => {
    expect(sut.isPermanentError!(new RangeError('bad data'))).toBe(true);
    expect(sut.isPermanentError!(new Error('connection terminated'))).toBe(false);
  });

  it('lets a failing check (the database is down) through as a retryable error', async () => {
    const down = workspaceChecked(inner, () => Promise.reject(new Error('connection terminated')));
    const failure = await down.apply([record(known)]).catch((e: unknown) => e);
    expect(down.isPermanentError!(failure)).toBe(false);
  });
});
