// Words for what the timeline shows: who did it, what changed, and when.

/** "mu_…7Q8R9S" for a prefixed ULID: the prefix and the last (random) characters tell ids apart. */
export function shortId(id) {
  const match = /^([a-zA-Z]+_)[0-9A-Z]{26}$/.exec(String(id));
  return match ? `${match[1]}…${String(id).slice(-6)}` : String(id);
}

/** The actor in full: "machineUser mu_01JS…" (for a hover title). */
export function actorFullName(actor) {
  switch (actor?.actorType) {
    case 'machineUser':
      return `machineUser ${actor.machineUserId}`;
    case 'user':
      return `user ${actor.userId}`;
    case 'system':
      return `system ${actor.system}`;
    case 'deletedCustomer':
      return `deleted customer ${actor.customerId}`;
    default:
      return 'an unknown actor';
  }
}

/** The actor with its id shortened, as sentences show it. */
export function actorName(actor) {
  return actorFullName(actor).replace(/[a-zA-Z]+_[0-9A-Z]{26}/, shortId);
}

const MAX_CHIPS = 4;
const MAX_CHIP_VALUE = 60;

/** Without a title: the payload's first scalar fields, in the order they were sent, as `key: value`. */
export function summaryChips(payload) {
  const chips = [];
  for (const [key, value] of Object.entries(payload ?? {})) {
    if (chips.length === MAX_CHIPS) break;
    if (value !== null && typeof value === 'object') continue;
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    chips.push(`${key}: ${text.length > MAX_CHIP_VALUE ? `${text.slice(0, MAX_CHIP_VALUE - 1)}…` : text}`);
  }
  return chips;
}

function show(value) {
  if (value === null || value === undefined) return 'nothing';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function isCustomerChange(type) {
  return type === 'customer.customer_created' || type === 'customer.customer_updated';
}

/**
 * A customer change item's payload `{ changedFields, changes: { field: { from, to } }, actor }` as sentences:
 * "marked as spam by machineUser mu_…", "changed fullName from A to B by …".
 */
export function changeSentences(type, payload) {
  const by = actorName(payload?.actor);
  const changes = payload?.changes ?? {};
  if (type === 'customer.customer_created') {
    const set = Object.entries(changes)
      .filter(([field, { to }]) => field !== 'markedAsSpamBy' && to !== null && to !== false)
      .map(([field, { to }]) => `${field} ${show(to)}`);
    return [`created by ${by}${set.length ? ` with ${set.join(', ')}` : ''}`];
  }
  const sentences = [];
  for (const [field, { from, to }] of Object.entries(changes)) {
    if (field === 'markedAsSpamBy') continue;
    if (field === 'markedAsSpamAt') {
      const marker = changes.markedAsSpamBy?.to ? actorName(changes.markedAsSpamBy.to) : by;
      sentences.push(to ? `marked as spam by ${marker}` : `unmarked as spam by ${by}`);
    } else if (field === 'emailVerified') {
      sentences.push(
        to ? `marked the email as verified by ${by}` : `marked the email as unverified by ${by}`,
      );
    } else if (from === null || from === undefined) {
      sentences.push(`set ${field} to ${show(to)} by ${by}`);
    } else if (to === null || to === undefined) {
      sentences.push(`cleared ${field} (was ${show(from)}) by ${by}`);
    } else {
      sentences.push(`changed ${field} from ${show(from)} to ${show(to)} by ${by}`);
    }
  }
  return sentences.length ? sentences : [`updated by ${by}`];
}

const UNITS = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];
const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const absoluteFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'medium',
});

/** "3 minutes ago", "in 2 days" (antidated and future events alike). */
export function relativeTime(iso, now = Date.now()) {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  if (Math.abs(seconds) < 10) return 'just now';
  const [unit, size] = UNITS.find(([, size]) => Math.abs(seconds) >= size) ?? UNITS[UNITS.length - 1];
  return relativeFormat.format(Math.trunc(seconds / size), unit);
}

export function absoluteTime(iso) {
  return absoluteFormat.format(new Date(iso));
}
