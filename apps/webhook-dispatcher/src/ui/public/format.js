// Times and words for the delivery log.

const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const absoluteFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const UNITS = [
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

export function relativeTime(iso, now = Date.now()) {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  if (Math.abs(seconds) < 5) return 'just now';
  const [unit, size] = UNITS.find(([, size]) => Math.abs(seconds) >= size) ?? UNITS[UNITS.length - 1];
  return relativeFormat.format(Math.trunc(seconds / size), unit);
}

/** A <time> showing "3 minutes ago" with the full date in its title, or a dash. */
export function timeElement(iso) {
  if (!iso) return document.createTextNode('—');
  const time = document.createElement('time');
  time.dateTime = iso;
  time.title = absoluteFormat.format(new Date(iso));
  time.textContent = relativeTime(iso);
  return time;
}

export function absoluteTime(iso) {
  return absoluteFormat.format(new Date(iso));
}

const DISABLED_REASONS = { gone: 'the receiver answered 410 Gone', failing: 'failing for 5 days' };

export function healthOf(target) {
  if (!target.enabled) {
    const reason = DISABLED_REASONS[target.disabledReason];
    return { text: reason ? `Disabled: ${reason}` : 'Disabled', state: 'bad' };
  }
  if (target.failingSince)
    return { text: `Enabled · failing since ${relativeTime(target.failingSince)}`, state: 'warn' };
  return { text: 'Enabled · healthy', state: 'good' };
}

/** "95 %" with "38 of 40 attempts", or a dash without attempts in the last 24 hours. */
export function successRateText(stats) {
  if (!stats) return { text: '…', state: 'unknown' };
  if (stats.successRate24h === null || stats.attempts24h === 0)
    return { text: '—', detail: 'no attempts', state: 'unknown' };
  const percent = Math.round(stats.successRate24h * 1000) / 10;
  const state = percent >= 99 ? 'good' : percent >= 90 ? 'warn' : 'bad';
  const plural = stats.attempts24h === 1 ? 'attempt' : 'attempts';
  return { text: `${percent} %`, detail: `${stats.succeeded24h} of ${stats.attempts24h} ${plural}`, state };
}

/** A local "YYYY-MM-DDTHH:MM:SS" for a datetime-local input. */
export function localInputValue(date) {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 19);
}

export const OUTCOME_WORDS = {
  success: 'success',
  http_error: 'HTTP error',
  gone: 'gone (410)',
  redirect: 'redirect (not followed)',
  timeout: 'timeout',
  network_error: 'network error',
  refused: 'refused (address not allowed)',
  internal_error: 'not sent (internal error)',
  lost: 'lost (dispatcher stopped)',
  in_progress: 'in progress',
};

export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
