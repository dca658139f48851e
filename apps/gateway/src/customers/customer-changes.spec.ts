import type { Actor, Customer } from '@app/contracts';
import { applyFields, markAsSpam, newCustomer, unmarkAsSpam } from './customer-changes';

const actor: Actor = { actorType: 'machineUser', machineUserId: 'mu_1' };
const created = newCustomer(
  'c_1',
  'user_42',
  { email: 'p@example.com', fullName: 'Peter' },
  actor,
  '2026-01-01T00:00:00.000Z',
);
const later = '2026-02-01T00:00:00.000Z';

describe(applyFields.name, () => {
  it('returns the very same object when nothing changes, so no event is written', () => {
    expect(
      applyFields(created, { email: 'p@example.com', fullName: 'Peter', shortName: null }, actor, later),
    ).toBe(created);
  });

  it('sets updatedAt and updatedBy on a real change only', () => {
    const other: Actor = { actorType: 'machineUser', machineUserId: 'mu_2' };

    const next = applyFields(created, { fullName: 'Peter Santos' }, other, later);

    expect(next).toMatchObject({
      fullName: 'Peter Santos',
      updatedAt: later,
      updatedBy: other,
      createdBy: actor,
    });
  });

  it('unverifies a changed email unless the change says it is verified', () => {
    const verified = applyFields(created, { emailVerified: true }, actor, later);

    const moved = applyFields(verified, { email: 'new@example.com' }, actor, '2026-03-01T00:00:00.000Z');
    const movedVerified = applyFields(
      verified,
      { email: 'v@example.com', emailVerified: true },
      actor,
      '2026-03-01T00:00:00.000Z',
    );

    expect(verified.email).toEqual({ email: 'p@example.com', isVerified: true, verifiedAt: later });
    expect(moved.email).toEqual({ email: 'new@example.com', isVerified: false, verifiedAt: null });
    expect(movedVerified.email.verifiedAt).toBe('2026-03-01T00:00:00.000Z');
  });
});

describe('spam marks', () => {
  it('marks with the actor and time, and unmarks back to null', () => {
    const marked = markAsSpam(created, actor, later);
    const unmarked = unmarkAsSpam(marked, actor, '2026-03-01T00:00:00.000Z');

    expect(marked).toMatchObject({ markedAsSpamAt: later, markedAsSpamBy: actor });
    expect(unmarked).toMatchObject({ markedAsSpamAt: null, markedAsSpamBy: null });
  });

  it('changes nothing when already in the asked state', () => {
    const marked: Customer = markAsSpam(created, actor, later);

    expect(markAsSpam(marked, actor, '2026-03-01T00:00:00.000Z')).toBe(marked);
    expect(unmarkAsSpam(created, actor, later)).toBe(created);
  });
});
