// The deliveries table: one <tbody> per delivery, its summary row and (when expanded) its attempts, each with
// what was sent (headers, signatures masked, and body) and what came back.

import { OUTCOME_WORDS, absoluteTime, element, timeElement } from './format.js';

const COLUMNS = 7;

function prettyJson(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function headersTable(headers, caption) {
  const entries = Object.entries(headers ?? {});
  if (entries.length === 0) return element('p', 'help', 'No headers.');
  const table = element('table', 'headers');
  table.append(element('caption', 'visually-hidden', caption));
  const body = element('tbody');
  for (const [name, value] of entries) {
    const row = element('tr');
    const th = element('th', 'mono', name);
    th.scope = 'row';
    row.append(th, element('td', `mono${value === '[masked]' ? ' masked' : ''}`, value));
    body.append(row);
  }
  table.append(body);
  return table;
}

/** The request an attempt sent and the answer it got, side by side. */
function exchange(attempt) {
  const sent = element('section', 'sent');
  sent.setAttribute('aria-label', `Request of attempt #${attempt.number}`);
  sent.append(element('h4', undefined, 'Request sent'));
  if (attempt.request) {
    sent.append(
      element('p', 'help', `Version ${attempt.targetVersion}; signature headers are masked.`),
      headersTable(attempt.request.headers, 'Request headers'),
      element('pre', 'body mono', prettyJson(attempt.request.body)),
    );
  } else {
    sent.append(element('p', 'help', 'Nothing was sent.'));
  }

  const received = element('section', 'received');
  received.setAttribute('aria-label', `Response to attempt #${attempt.number}`);
  received.append(element('h4', undefined, 'Response'));
  if (attempt.statusCode !== null) {
    received.append(element('p', 'response-status mono', `HTTP ${attempt.statusCode}`));
    received.append(headersTable(attempt.responseHeaders, 'Response headers'));
    received.append(
      attempt.responseBody
        ? element('pre', 'body mono', attempt.responseBody)
        : element('p', 'help', 'Empty body.'),
    );
  } else if (attempt.outcome === 'in_progress') {
    received.append(element('p', 'help', 'Waiting for the answer…'));
  } else {
    received.append(element('p', 'help', 'No HTTP answer.'));
  }
  if (attempt.error) received.append(element('p', 'error-text', attempt.error));

  const wrap = element('div', 'exchange');
  wrap.append(sent, received);
  return wrap;
}

function attemptsTable(attempts, openExchanges) {
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
      element('td', 'nowrap', `#${attempt.number}${attempt.manual ? ' (manual)' : ''}`),
      time,
      element('td', `outcome ${attempt.outcome}`, OUTCOME_WORDS[attempt.outcome] ?? attempt.outcome),
      element('td', 'mono', attempt.statusCode === null ? '—' : String(attempt.statusCode)),
      element('td', undefined, attempt.durationMs === null ? '—' : `${attempt.durationMs} ms`),
      response,
    );

    const detailRow = element('tr', 'exchange-row');
    detailRow.dataset.exchangeFor = String(attempt.number);
    const cell = element('td');
    cell.colSpan = 6;
    const details = element('details');
    details.open = openExchanges.has(attempt.id);
    details.addEventListener('toggle', () => {
      if (details.open) openExchanges.add(attempt.id);
      else openExchanges.delete(attempt.id);
    });
    details.append(element('summary', undefined, `Request and response of attempt #${attempt.number}`));
    details.append(exchange(attempt));
    cell.append(details);
    detailRow.append(cell);
    body.append(row, detailRow);
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
 * `attempts` (when given) are shown expanded under the row; `context` = { targetUrl, openExchanges (Set of
 * attempt ids whose request and response are shown), live (the panel is refreshing) }.
 */
export function renderDelivery(delivery, actions, attempts, context = {}) {
  const group = element('tbody', 'delivery');
  group.dataset.deliveryId = delivery.id;
  const row = element('tr');

  const event = element('td');
  event.append(element('div', undefined, delivery.eventType), element('div', 'help mono', delivery.eventId));
  if (delivery.customerId) event.append(element('div', 'help mono', delivery.customerId));
  const last = element('td');
  last.append(timeElement(delivery.lastAttemptAt));
  if (delivery.lastStatusCode !== null)
    last.append(element('span', 'help', ` · HTTP ${delivery.lastStatusCode}`));

  const target = element('td', 'url mono target-url', context.targetUrl ?? delivery.targetId);

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
    element('td', 'attempt-count', String(delivery.attemptCount)),
    last,
    cell(timeElement(delivery.nextAttemptAt)),
    target,
    buttons,
  );
  group.append(row);

  if (attempts) {
    const detailRow = element('tr', 'attempts-row');
    detailRow.id = detailsId;
    const td = element('td');
    td.colSpan = COLUMNS;
    td.append(
      attempts.length
        ? attemptsTable(attempts, context.openExchanges ?? new Set())
        : element('p', 'help', 'No attempt yet.'),
    );
    if (context.live) td.append(element('p', 'help live-note', 'Refreshing every 2 seconds while open.'));
    detailRow.append(td);
    group.append(detailRow);
  }
  return group;
}
