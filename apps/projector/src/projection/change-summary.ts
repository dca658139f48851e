import type { Customer, CustomerChangeMessage } from '@app/contracts';

type Field = 'email' | 'emailVerified' | 'fullName' | 'shortName' | 'markedAsSpamAt' | 'markedAsSpamBy';

const FIELDS: Record<Field, (c: Customer) => unknown> = {
  email: (c) => c.email.email,
  emailVerified: (c) => c.email.isVerified,
  fullName: (c) => c.fullName,
  shortName: (c) => c.shortName,
  markedAsSpamAt: (c) => c.markedAsSpamAt,
  markedAsSpamBy: (c) => c.markedAsSpamBy,
};

/**
 * The timeline payload of a customer change: which fields changed, from what to what, and who changed them.
 * A creation lists every field it set.
 */
export function changeSummary(change: CustomerChangeMessage): Record<string, unknown> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [field, read] of Object.entries(FIELDS) as Array<[Field, (c: Customer) => unknown]>) {
    const from = change.previousCustomer ? read(change.previousCustomer) : null;
    const to = change.customer ? read(change.customer) : null;
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from, to };
  }
  return { changedFields: Object.keys(changes), changes, actor: change.actor, version: change.version };
}
