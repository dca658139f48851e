// The deliveries table: one <tbody> per delivery, its summary row and (when expanded) its attempts.

import { OUTCOME_WORDS, absoluteTime, element, timeElement } from './format.js';

function attemptsTable(attempts) {
  const table = element('table', 'attempts');
  const caption = element('caption', undefined, 'Attempts, oldest first');
  const head = element('thead');
  const headRow = element('tr');
  for (const title of ['Attempt', 'Time', 'Outcome', 'HTTP status', 'Duration', 'Response or error']) {
    const th = element('th', undefined, title);
    th.scope = 'col';
    headRow.append(th);
  }
  head.append(headRow);
  const body = element('tbody');
  for (const attempt of attempts) {
    const row = element('tr');
    row.dataset.attemptNumber = String(attempt.number);
    const time = element('td');
    time.append(element('span', undefined, absoluteTime(attempt.timestamp)));
    const response = element('td');
    if (attempt.responseBody) response.append(element('code', 'excerpt', attempt.responseBody));
    if (attempt.error) response.append(element('div', 'error-text', attempt.error));
    if (!attempt.responseBody && !attempt.error) response.textContent = '—';
    row.append(
      element('td', undefined, `#${attempt.number}${attempt.manual ? ' (manual)' : ''}`),
      time,
      element('td', `outcome ${attempt.outcome}`, OUTCOME_WORDS[attempt.outcome] ?? attempt.outcome),
      element('td', 'mono', attempt.statusCode === null ? '—' : String(attempt.statusCode)),
      element('td', undefined, attempt.durationMs === null ? '—' : `${attempt.durationMs} ms`),
      response,
    );
    body.append(row);
  }
  table.append(caption, head, body);
  return table;
}

function cell(content) {
  const td = element('td');
  td.append(content);
  return td;
}

/**
 * A delivery's <tbody>. `actions` = { toggleAttempts(delivery, button), retry(delivery, button) };
 * `attempts` (when given) are shown expanded under the row.
 */
export function renderDelivery(delivery, actions, attempts) {
  const group = element('tbody', 'delivery');
  group.dataset.deliveryId = delivery.id;
  const row = element('tr');

  const event = element('td');
  event.append(element('div', undefined, delivery.eventType), element('div', 'help mono', delivery.eventId));
  const last = element('td');
  last.append(timeElement(delivery.lastAttemptAt));
  if (delivery.lastStatusCode !== null)
    last.append(element('span', 'help', ` · HTTP ${delivery.lastStatusCode}`));

  const detailsId = `attempts-${delivery.id}`;
  const toggle = element('button', undefined, attempts ? 'Hide attempts' : 'Show attempts');
  toggle.type = 'button';
  toggle.setAttribute('aria-expanded', String(Boolean(attempts)));
  toggle.setAttribute('aria-controls', detailsId);
  toggle.addEventListener('click', () => actions.toggleAttempts(delivery, toggle));
  const retry = element('button', undefined, 'Retry now');
  retry.type = 'button';
  retry.setAttribute('aria-label', `Retry now: ${delivery.eventType} ${delivery.eventId}`);
  retry.disabled = delivery.status === 'in_progress';
  retry.addEventListener('click', () => actions.retry(delivery, retry));
  const buttons = element('td', 'actions');
  buttons.append(toggle, retry);

  row.append(
    event,
    element('td', `status ${delivery.status}`, delivery.status.replace('_', ' ')),
    element('td', undefined, String(delivery.attemptCount)),
    last,
    cell(timeElement(delivery.nextAttemptAt)),
    buttons,
  );
  group.append(row);

  if (attempts) {
    const detailRow = element('tr', 'attempts-row');
    detailRow.id = detailsId;
    const td = element('td');
    td.colSpan = 6;
    td.append(attempts.length ? attemptsTable(attempts) : element('p', 'help', 'No attempt yet.'));
    detailRow.append(td);
    group.append(detailRow);
  }
  return group;
}
