import type { Customer } from '@app/contracts';
import { type DirectoryEntry, newestPerExternalId } from './directory-writes.repository';

const entry = (customerId: string, externalId: string, version: number): DirectoryEntry =>
  ({
    customerId,
    workspaceId: 'w_1',
    externalId,
    customer: { fullName: `${customerId} v${version}` } as Customer,
    version,
  }) as DirectoryEntry;

describe('newestPerExternalId', () => {
  it("keeps each customer's highest version, whatever the order", () => {
    const kept = newestPerExternalId([entry('c_1', 'a', 2), entry('c_1', 'a', 3), entry('c_1', 'a', 1)]);
    expect(kept.map((e) => e.version)).toEqual([3]);
  });

  it('keeps the newer of two customers holding one externalId, and customers with other externalIds', () => {
    const kept = newestPerExternalId([entry('c_2', 'a', 1), entry('c_1', 'a', 5), entry('c_3', 'b', 1)]);
    expect(kept.map((e) => e.customerId).sort()).toEqual(['c_2', 'c_3']);
  });
});
