// The operator's delivery portal: webhook targets (create, edit, enable / disable, delete, test event, recover,
// secret rotation, success rate over 24 h), the workspace's deliveries filtered from the URL, and every
// attempt of a delivery with what was sent and what came back, refreshed while its panel is open.

import { api, apiKeyStore, pathOf } from './shared/api.js';
import { keyBar } from './shared/key-bar.js';
import { renderDelivery } from './deliveries.js';
import { OUTCOME_WORDS, localInputValue } from './format.js';
import { renderTargets } from './targets.js';

const PAGE_SIZE = 25;
const POLL_MS = 2000;
const RETRY_WATCH_MS = 30_000;
const FILTERS = ['targetId', 'status', 'eventType', 'customerId', 'eventId'];
const TARGET_FIELDS = ['url', 'description', 'version', 'eventTypes'];
const byId = (id) => document.getElementById(id);

const apiKey = keyBar({ say, onKey: () => start(), onForget: () => resetView() });

const ui = {
  message: byId('message'),
  targets: byId('targets'),
  targetsBody: byId('targets-body'),
  noTargets: byId('no-targets'),
  targetPanel: byId('target-panel'),
  targetForm: byId('target-form'),
  targetFormHeading: byId('target-form-heading'),
  targetFormError: byId('target-form-error'),
  secretPanel: byId('secret-panel'),
  secretHeading: byId('secret-heading'),
  secretConfirm: byId('secret-confirm'),
  secretResult: byId('secret-result'),
  newSecret: byId('new-secret'),
  recoverPanel: byId('recover-panel'),
  recoverForm: byId('recover-form'),
  recoverError: byId('recover-error'),
  recoverSince: byId('recover-since'),
  deleteDialog: byId('delete-dialog'),
  deliveries: byId('deliveries'),
  deliveriesHeading: byId('deliveries-heading'),
  deliveriesEmpty: byId('deliveries-empty'),
  deliveriesEmptyText: byId('deliveries-empty-text'),
  filterForm: byId('filter-form'),
  filterError: byId('filter-error'),
  filterTarget: byId('filter-target'),
  moreDeliveries: byId('more-deliveries'),
};

const state = {
  targets: [],
  stats: new Map(),
  filters: filtersFromUrl(),
  nextCursor: null,
  /** Expanded deliveries: id → { delivery, attempts }. */
  expanded: new Map(),
  /** Attempt ids whose request and response are shown. */
  openExchanges: new Set(),
  editing: undefined,
  rotating: undefined,
  recovering: undefined,
  deleting: undefined,
  pollTimer: undefined,
  loadSeq: 0,
};

// ---- messages and errors -----------------------------------------------------------------------------

function say(text, isError = false) {
  ui.message.textContent = text;
  ui.message.classList.toggle('error', isError);
}

/** Shows an API error inside a form (its alert paragraph), marking the field it names as invalid. */
function showFormError(box, form, error, fields) {
  box.textContent = `${error.message} (${error.code})`;
  box.hidden = false;
  for (const name of fields) {
    const field = form.elements.namedItem(name);
    const named = new RegExp(`(^|[\\s"(])${name}\\b`).test(error.message);
    const nodes = field instanceof RadioNodeList ? [...field] : field ? [field] : [];
    for (const node of nodes) node.toggleAttribute('aria-invalid', named);
  }
}

function clearFormError(box, form) {
  box.textContent = '';
  box.hidden = true;
  for (const node of form.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
}

function resetView() {
  for (const panel of [ui.targets, ui.deliveries, ui.secretPanel, ui.targetPanel, ui.recoverPanel])
    panel.hidden = true;
  ui.newSecret.textContent = '';
  state.expanded.clear();
  stopPolling();
}

/** True when handled as "the key was refused"; other errors are for the caller to show. */
function handleAuth(error) {
  if (error.status !== 401) return false;
  resetView();
  apiKey.refused();
  return true;
}

function handleError(error) {
  if (!handleAuth(error)) say(`${error.message} (${error.code})`, true);
}

// ---- targets -----------------------------------------------------------------------------------------

const targetActions = {
  showDeliveries,
  edit: openEditForm,
  sendTest,
  recover: openRecover,
  setEnabled,
  rotateSecret,
  remove: confirmDelete,
};
const deliveryActions = { toggleAttempts, retry };

function targetUrlOf(id) {
  return state.targets.find((t) => t.id === id)?.url;
}

/** Re-renders the targets table, keeping the keyboard focus on the same button. */
function drawTargets() {
  const focused = ui.targetsBody.contains(document.activeElement)
    ? document.activeElement.getAttribute('aria-label')
    : null;
  renderTargets(ui.targetsBody, state.targets, targetActions, state.filters.targetId, state.stats);
  if (focused) {
    const again = [...ui.targetsBody.querySelectorAll('button')].find(
      (b) => b.getAttribute('aria-label') === focused,
    );
    again?.focus();
  }
  ui.noTargets.hidden = state.targets.length > 0;
}

function drawTargetFilter() {
  const current = state.filters.targetId ?? '';
  const options = [new Option('All targets', '')];
  for (const target of state.targets) options.push(new Option(target.url, target.id));
  if (current && !state.targets.some((t) => t.id === current)) options.push(new Option(current, current));
  ui.filterTarget.replaceChildren(...options);
  ui.filterTarget.value = current;
}

async function loadTargets() {
  try {
    const page = await api('webhook-targets?limit=200');
    state.targets = page.items;
    drawTargets();
    drawTargetFilter();
    ui.targets.hidden = false;
    ui.deliveries.hidden = false;
    void loadStats();
  } catch (error) {
    handleError(error);
  }
}

async function loadStats() {
  const results = await Promise.all(
    state.targets.map((target) =>
      api(pathOf`webhook-targets/${target.id}/stats`).then(
        (stats) => [target.id, stats],
        () => [target.id, undefined],
      ),
    ),
  );
  state.stats = new Map(results.filter(([, stats]) => stats));
  drawTargets();
}

function openTargetForm(target) {
  state.editing = target;
  const form = ui.targetForm;
  form.reset();
  clearFormError(ui.targetFormError, form);
  ui.targetFormHeading.textContent = target ? `Edit ${target.url}` : 'New webhook target';
  byId('target-save').textContent = target ? 'Save changes' : 'Create target';
  if (target) {
    form.elements.url.value = target.url;
    form.elements.description.value = target.description ?? '';
    form.elements.version.value = target.version;
    for (const box of form.elements.eventTypes) box.checked = target.eventTypes.includes(box.value);
  }
  ui.targetPanel.hidden = false;
  form.elements.url.focus();
}

function openEditForm(target) {
  openTargetForm(target);
}

function closeTargetForm() {
  ui.targetPanel.hidden = true;
  state.editing = undefined;
  byId('targets-heading').focus();
}

ui.targetForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = ui.targetForm;
  const editing = state.editing;
  const body = {
    url: form.elements.url.value.trim(),
    version: form.elements.version.value,
    eventTypes: [...form.elements.eventTypes].filter((box) => box.checked).map((box) => box.value),
  };
  const description = form.elements.description.value.trim();
  if (editing) body.description = description || null;
  else if (description) body.description = description;
  const save = byId('target-save');
  save.disabled = true;
  try {
    const saved = editing
      ? await api(pathOf`webhook-targets/${editing.id}`, { method: 'PATCH', body })
      : await api('webhook-targets', { method: 'POST', body });
    clearFormError(ui.targetFormError, form);
    ui.targetPanel.hidden = true;
    state.editing = undefined;
    if (editing) {
      say(`${saved.url} saved.`);
      byId('targets-heading').focus();
    } else {
      showSecret(saved, 'created');
    }
    await loadTargets();
  } catch (error) {
    if (!handleAuth(error)) showFormError(ui.targetFormError, form, error, TARGET_FIELDS);
    form.querySelector('[aria-invalid]')?.focus();
  } finally {
    save.disabled = false;
  }
});
byId('target-cancel').addEventListener('click', closeTargetForm);
byId('new-target').addEventListener('click', () => openTargetForm(undefined));

async function setEnabled(target, enabled) {
  try {
    const saved = await api(pathOf`webhook-targets/${target.id}`, { method: 'PATCH', body: { enabled } });
    say(`${saved.url} ${enabled ? 'enabled' : 'disabled'}.`);
    await loadTargets();
  } catch (error) {
    handleError(error);
  }
}

function confirmDelete(target) {
  state.deleting = target;
  byId('delete-target').textContent = target.url;
  ui.deleteDialog.returnValue = '';
  ui.deleteDialog.showModal();
}

ui.deleteDialog.addEventListener('close', async () => {
  const target = state.deleting;
  state.deleting = undefined;
  if (!target || ui.deleteDialog.returnValue !== 'delete') {
    byId('targets-heading').focus();
    return;
  }
  try {
    await api(pathOf`webhook-targets/${target.id}`, { method: 'DELETE' });
    say(`${target.url} deleted, with its delivery log.`);
    if (state.filters.targetId === target.id) applyFilters({ ...state.filters, targetId: undefined });
    await loadTargets();
    byId('targets-heading').focus();
  } catch (error) {
    handleError(error);
  }
});

// ---- secrets -----------------------------------------------------------------------------------------

/** Shows a target's new secret once: after creation (`created`) or rotation. */
function showSecret(target, why) {
  ui.secretHeading.textContent = why === 'created' ? 'Target created' : 'Rotate the signing secret';
  byId('secret-intro').textContent =
    why === 'created'
      ? `${target.url} is registered. Its signing secret:`
      : `New signing secret of ${target.url}:`;
  ui.newSecret.textContent = target.secret;
  ui.secretConfirm.hidden = true;
  ui.secretResult.hidden = false;
  ui.secretPanel.hidden = false;
  ui.newSecret.focus();
  say(why === 'created' ? `${target.url} created.` : `The secret of ${target.url} was rotated.`);
}

function rotateSecret(target) {
  state.rotating = target;
  ui.secretHeading.textContent = 'Rotate the signing secret';
  byId('secret-target').textContent = target.url;
  ui.newSecret.textContent = '';
  ui.secretConfirm.hidden = false;
  ui.secretResult.hidden = true;
  ui.secretPanel.hidden = false;
  byId('rotate-confirm').focus();
}

function closeSecretPanel() {
  ui.newSecret.textContent = '';
  ui.secretPanel.hidden = true;
  state.rotating = undefined;
  byId('targets-heading').focus();
}

byId('rotate-confirm').addEventListener('click', async () => {
  const target = state.rotating;
  if (!target) return;
  try {
    const rotated = await api(pathOf`webhook-targets/${target.id}/rotate-secret`, { method: 'POST' });
    showSecret(rotated, 'rotated');
    void loadTargets();
  } catch (error) {
    handleError(error);
  }
});

byId('rotate-cancel').addEventListener('click', closeSecretPanel);
byId('secret-done').addEventListener('click', closeSecretPanel);
byId('copy-secret').addEventListener('click', () => {
  const range = document.createRange();
  range.selectNodeContents(ui.newSecret);
  getSelection().removeAllRanges();
  getSelection().addRange(range);
  navigator.clipboard.writeText(ui.newSecret.textContent).then(
    () => say('Secret copied.'),
    () => say('Could not copy: the secret is selected, copy it with Ctrl+C.', true),
  );
});

// ---- test event and recovery -------------------------------------------------------------------------

async function sendTest(target, button) {
  button.disabled = true;
  try {
    const delivery = await api(pathOf`webhook-targets/${target.id}/test`, { method: 'POST' });
    state.expanded.set(delivery.id, { delivery, attempts: [] });
    say(`Test event ${delivery.eventId} sent to ${target.url}: its attempt is shown under Deliveries.`);
    applyFilters({ targetId: target.id });
  } catch (error) {
    handleError(error);
  } finally {
    button.disabled = !target.enabled;
  }
}

function openRecover(target) {
  state.recovering = target;
  byId('recover-target').textContent = target.url;
  clearFormError(ui.recoverError, ui.recoverForm);
  const since = target.failingSince ? new Date(target.failingSince) : new Date(Date.now() - 24 * 3600_000);
  ui.recoverSince.value = localInputValue(since);
  ui.recoverPanel.hidden = false;
  ui.recoverSince.focus();
}

function closeRecover() {
  ui.recoverPanel.hidden = true;
  state.recovering = undefined;
  byId('targets-heading').focus();
}

ui.recoverForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const target = state.recovering;
  if (!target) return;
  const local = ui.recoverSince.value;
  const since = local ? new Date(local) : undefined;
  if (!since || Number.isNaN(since.getTime())) {
    showFormError(
      ui.recoverError,
      ui.recoverForm,
      { message: 'since must be a date and time', code: 'VALIDATION_ERROR' },
      ['since'],
    );
    ui.recoverSince.focus();
    return;
  }
  try {
    const result = await api(pathOf`webhook-targets/${target.id}/recover`, {
      method: 'POST',
      body: { since: since.toISOString() },
    });
    ui.recoverPanel.hidden = true;
    state.recovering = undefined;
    const plural = result.scheduled === 1 ? 'delivery' : 'deliveries';
    say(`${result.scheduled} failed ${plural} of ${target.url} scheduled for another attempt.`);
    applyFilters({ targetId: target.id });
  } catch (error) {
    if (!handleAuth(error)) showFormError(ui.recoverError, ui.recoverForm, error, ['since']);
  }
});
byId('recover-cancel').addEventListener('click', closeRecover);

// ---- deliveries and their filters --------------------------------------------------------------------

function filtersFromUrl() {
  const params = new URLSearchParams(location.search);
  return Object.fromEntries(FILTERS.map((name) => [name, params.get(name) || undefined]));
}

function drawFilters() {
  const form = ui.filterForm;
  for (const name of FILTERS) {
    if (name !== 'targetId') form.elements[name].value = state.filters[name] ?? '';
  }
  ui.filterTarget.value = state.filters.targetId ?? '';
  if (ui.filterTarget.value !== (state.filters.targetId ?? '')) drawTargetFilter();
}

/** Sets the filters, keeps them in the URL (a new history entry), and reloads the list. */
function applyFilters(filters) {
  state.filters = Object.fromEntries(FILTERS.map((name) => [name, filters[name] || undefined]));
  const params = new URLSearchParams();
  for (const name of FILTERS) if (state.filters[name]) params.set(name, state.filters[name]);
  const query = params.toString();
  const next = `${location.pathname}${query ? `?${query}` : ''}`;
  if (next !== `${location.pathname}${location.search}`) history.pushState(null, '', next);
  drawFilters();
  drawTargets();
  void loadDeliveries({ reset: true });
}

function filtersFromForm() {
  const form = ui.filterForm;
  return Object.fromEntries(FILTERS.map((name) => [name, form.elements[name].value.trim()]));
}

function deliveryGroups() {
  return [...ui.deliveries.querySelectorAll('tbody.delivery')];
}

function emptyText() {
  const { targetId, status, ...others } = state.filters;
  if (Object.values(others).some(Boolean)) return 'No deliveries match these filters.';
  if (status) return 'No deliveries with this status.';
  return targetId ? 'No deliveries to this target yet.' : 'No deliveries in this workspace yet.';
}

function drawDelivery(delivery) {
  const open = state.expanded.get(delivery.id);
  return renderDelivery(delivery, deliveryActions, open?.attempts, {
    targetUrl: targetUrlOf(delivery.targetId),
    openExchanges: state.openExchanges,
    live: Boolean(open),
  });
}

async function loadDeliveries({ reset }) {
  const seq = ++state.loadSeq;
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  for (const name of FILTERS) if (state.filters[name]) params.set(name, state.filters[name]);
  if (!reset && state.nextCursor) params.set('cursor', state.nextCursor);
  const url = targetUrlOf(state.filters.targetId);
  ui.deliveriesHeading.textContent = url ? `Deliveries to ${url}` : 'Deliveries';
  try {
    const page = await api(`webhook-deliveries?${params}`);
    if (seq !== state.loadSeq) return;
    clearFormError(ui.filterError, ui.filterForm);
    if (reset) for (const group of deliveryGroups()) group.remove();
    const table = ui.deliveriesEmpty.parentElement;
    for (const delivery of page.items) table.append(drawDelivery(delivery));
    state.nextCursor = page.nextCursor;
    ui.moreDeliveries.hidden = !page.hasMore;
    ui.deliveriesEmptyText.textContent = emptyText();
    ui.deliveriesEmpty.hidden = deliveryGroups().length > 0;
    ui.deliveries.hidden = false;
    schedulePoll(0);
  } catch (error) {
    if (seq !== state.loadSeq) return;
    if (!handleAuth(error)) {
      if (reset) for (const group of deliveryGroups()) group.remove();
      ui.deliveriesEmpty.hidden = true;
      ui.moreDeliveries.hidden = true;
      showFormError(ui.filterError, ui.filterForm, error, FILTERS);
    }
  }
}

function showDeliveries(target) {
  state.expanded.clear();
  applyFilters({ targetId: target.id });
  ui.deliveriesHeading.focus();
}

function replaceDelivery(delivery, focusSelector) {
  const current = ui.deliveries.querySelector(`tbody[data-delivery-id="${CSS.escape(delivery.id)}"]`);
  if (!current) return;
  const next = drawDelivery(delivery);
  const hadFocus = current.contains(document.activeElement) ? document.activeElement.textContent : undefined;
  current.replaceWith(next);
  if (focusSelector) next.querySelector(focusSelector)?.focus();
  else if (hadFocus)
    [...next.querySelectorAll('button, summary')].find((n) => n.textContent === hadFocus)?.focus();
}

async function toggleAttempts(delivery) {
  if (state.expanded.has(delivery.id)) {
    state.expanded.delete(delivery.id);
    replaceDelivery(delivery, 'button[aria-expanded]');
    return;
  }
  try {
    const full = await api(pathOf`webhook-deliveries/${delivery.id}`);
    state.expanded.set(full.id, { delivery: full, attempts: full.attempts });
    replaceDelivery(full, 'button[aria-expanded]');
    schedulePoll(POLL_MS);
  } catch (error) {
    handleError(error);
  }
}

/** What the panel shows of a delivery: when it changes, the row is drawn again. */
function fingerprint(delivery, attempts) {
  const last = attempts?.[attempts.length - 1];
  return [delivery.status, delivery.attemptCount, attempts?.length, last?.outcome, last?.id].join('|');
}

function stopPolling() {
  clearTimeout(state.pollTimer);
  state.pollTimer = undefined;
}

function schedulePoll(delay) {
  stopPolling();
  if (state.expanded.size === 0) return;
  state.pollTimer = setTimeout(() => void pollExpanded(), delay);
}

/** Reads every open delivery again and redraws the ones that changed (a new attempt, an outcome). */
async function pollExpanded() {
  if (document.hidden) return schedulePoll(POLL_MS);
  let changed = false;
  await Promise.all(
    [...state.expanded.entries()].map(async ([id, open]) => {
      try {
        const full = await api(pathOf`webhook-deliveries/${id}`);
        if (!state.expanded.has(id)) return;
        if (fingerprint(full, full.attempts) !== fingerprint(open.delivery, open.attempts)) {
          changed = true;
          state.expanded.set(id, { delivery: full, attempts: full.attempts });
          replaceDelivery(full);
        }
      } catch (error) {
        if (error.status === 404) state.expanded.delete(id);
        else if (handleAuth(error)) return;
      }
    }),
  );
  if (changed) void loadTargets();
  if (apiKeyStore.get()) schedulePoll(POLL_MS);
}

/** Queues a manual attempt, then follows the delivery until that attempt has an outcome. */
async function retry(delivery, button) {
  button.disabled = true;
  const before = delivery.attemptCount;
  try {
    await api(pathOf`webhook-deliveries/${delivery.id}/retry`, { method: 'POST' });
  } catch (error) {
    button.disabled = false;
    handleError(error);
    return;
  }
  say(`Retry of ${delivery.eventId} queued…`);
  const deadline = Date.now() + RETRY_WATCH_MS;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    let full;
    try {
      full = await api(pathOf`webhook-deliveries/${delivery.id}`);
    } catch (error) {
      handleError(error);
      return;
    }
    const last = full.attempts[full.attempts.length - 1];
    if (full.attempts.length > before && last.outcome !== 'in_progress') {
      state.expanded.set(full.id, { delivery: full, attempts: full.attempts });
      replaceDelivery(full);
      schedulePoll(POLL_MS);
      say(`Attempt #${last.number} of ${full.eventId}: ${OUTCOME_WORDS[last.outcome] ?? last.outcome}.`);
      void loadTargets();
      return;
    }
  }
  say(`The retry of ${delivery.eventId} has not finished yet: refresh later.`);
  void loadDeliveries({ reset: true });
}

ui.filterForm.addEventListener('submit', (event) => {
  event.preventDefault();
  applyFilters(filtersFromForm());
});
for (const select of ui.filterForm.querySelectorAll('select')) {
  select.addEventListener('change', () => applyFilters(filtersFromForm()));
}
byId('clear-filters').addEventListener('click', () => applyFilters({}));
window.addEventListener('popstate', () => {
  state.filters = filtersFromUrl();
  drawFilters();
  drawTargets();
  if (apiKeyStore.get()) void loadDeliveries({ reset: true });
});
document.addEventListener('visibilitychange', () => {
  if (!document.hidden) schedulePoll(0);
});

// ---- start, once the tab has an API key -------------------------------------------------------------

function start() {
  drawFilters();
  void loadTargets().then(() => {
    if (apiKeyStore.get()) void loadDeliveries({ reset: true });
  });
}

byId('refresh-targets').addEventListener('click', () => void loadTargets());
byId('refresh-deliveries').addEventListener('click', () => void loadDeliveries({ reset: true }));
ui.moreDeliveries.addEventListener('click', () => void loadDeliveries({ reset: false }));

if (apiKeyStore.get()) start();
