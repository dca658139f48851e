// The operator's delivery log: webhook targets and their health, each target's deliveries by status, every
// attempt of a delivery, "retry now", and secret rotation (the new secret shown once).

import { api, apiKeyStore, pathOf } from './shared/api.js';
import { renderDelivery } from './deliveries.js';
import { OUTCOME_WORDS } from './format.js';
import { renderTargets } from './targets.js';

const PAGE_SIZE = 25;
const RETRY_WATCH_MS = 30_000;
const byId = (id) => document.getElementById(id);

const ui = {
  keyForm: byId('key-form'),
  keyInput: byId('api-key'),
  keyStatus: byId('key-status'),
  message: byId('message'),
  targets: byId('targets'),
  targetsBody: byId('targets-body'),
  noTargets: byId('no-targets'),
  secretPanel: byId('secret-panel'),
  secretConfirm: byId('secret-confirm'),
  secretResult: byId('secret-result'),
  newSecret: byId('new-secret'),
  deliveries: byId('deliveries'),
  deliveriesHeading: byId('deliveries-heading'),
  deliveriesEmpty: byId('deliveries-empty'),
  statusFilter: byId('status-filter'),
  moreDeliveries: byId('more-deliveries'),
};

const state = {
  targets: [],
  selected: undefined,
  nextCursor: null,
  expanded: new Map(),
  rotating: undefined,
};

function say(text, isError = false) {
  ui.message.textContent = text;
  ui.message.classList.toggle('error', isError);
}

function showKeyState() {
  const hasKey = Boolean(apiKeyStore.get());
  ui.keyForm.hidden = hasKey;
  ui.keyStatus.hidden = !hasKey;
}

function resetView() {
  ui.targets.hidden = true;
  ui.deliveries.hidden = true;
  ui.secretPanel.hidden = true;
  ui.newSecret.textContent = '';
  state.selected = undefined;
}

function handleError(error) {
  if (error.status === 401) {
    resetView();
    apiKeyStore.clear();
    showKeyState();
    say('The API key was refused: enter a valid key.', true);
    ui.keyInput.focus();
  } else {
    say(`${error.message} (${error.code})`, true);
  }
}

const targetActions = { showDeliveries, rotateSecret };
const deliveryActions = { toggleAttempts, retry };

async function loadTargets() {
  try {
    const page = await api('webhook-targets?limit=200');
    state.targets = page.items;
    renderTargets(ui.targetsBody, state.targets, targetActions, state.selected?.id);
    ui.noTargets.hidden = state.targets.length > 0;
    ui.targets.hidden = false;
  } catch (error) {
    handleError(error);
  }
}

function deliveryGroups() {
  return [...ui.deliveries.querySelectorAll('tbody.delivery')];
}

async function loadDeliveries({ reset }) {
  const target = state.selected;
  if (!target) return;
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (ui.statusFilter.value) params.set('status', ui.statusFilter.value);
  if (!reset && state.nextCursor) params.set('cursor', state.nextCursor);
  try {
    const page = await api(`${pathOf`webhook-targets/${target.id}/deliveries`}?${params}`);
    if (state.selected !== target) return;
    if (reset) for (const group of deliveryGroups()) group.remove();
    const table = ui.deliveriesEmpty.parentElement;
    for (const delivery of page.items) {
      table.append(renderDelivery(delivery, deliveryActions, state.expanded.get(delivery.id)));
    }
    state.nextCursor = page.nextCursor;
    ui.moreDeliveries.hidden = !page.hasMore;
    ui.deliveriesEmpty.hidden = deliveryGroups().length > 0;
  } catch (error) {
    handleError(error);
  }
}

function showDeliveries(target) {
  state.selected = target;
  state.expanded.clear();
  state.nextCursor = null;
  ui.deliveriesHeading.textContent = `Deliveries to ${target.url}`;
  ui.deliveries.hidden = false;
  renderTargets(ui.targetsBody, state.targets, targetActions, target.id);
  void loadDeliveries({ reset: true }).then(() => ui.deliveriesHeading.focus());
}

function replaceDelivery(delivery, attempts, focusSelector) {
  const current = ui.deliveries.querySelector(`tbody[data-delivery-id="${CSS.escape(delivery.id)}"]`);
  if (!current) return;
  const next = renderDelivery(delivery, deliveryActions, attempts);
  current.replaceWith(next);
  if (focusSelector) next.querySelector(focusSelector)?.focus();
}

async function toggleAttempts(delivery) {
  if (state.expanded.has(delivery.id)) {
    state.expanded.delete(delivery.id);
    replaceDelivery(delivery, undefined, 'button[aria-expanded]');
    return;
  }
  try {
    const full = await api(pathOf`webhook-deliveries/${delivery.id}`);
    state.expanded.set(delivery.id, full.attempts);
    replaceDelivery(full, full.attempts, 'button[aria-expanded]');
  } catch (error) {
    handleError(error);
  }
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
      state.expanded.set(full.id, full.attempts);
      replaceDelivery(full, full.attempts);
      say(`Attempt #${last.number} of ${full.eventId}: ${OUTCOME_WORDS[last.outcome] ?? last.outcome}.`);
      void loadTargets();
      return;
    }
  }
  say(`The retry of ${delivery.eventId} has not finished yet: refresh later.`);
  void loadDeliveries({ reset: true });
}

function rotateSecret(target) {
  state.rotating = target;
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
    ui.newSecret.textContent = rotated.secret;
    ui.secretConfirm.hidden = true;
    ui.secretResult.hidden = false;
    ui.newSecret.focus();
    say(`The secret of ${target.url} was rotated.`);
    void loadTargets();
  } catch (error) {
    handleError(error);
  }
});

byId('rotate-cancel').addEventListener('click', closeSecretPanel);
byId('secret-done').addEventListener('click', closeSecretPanel);
byId('copy-secret').addEventListener('click', () => {
  navigator.clipboard.writeText(ui.newSecret.textContent).then(
    () => say('Secret copied.'),
    () => say('Could not copy: select the secret and copy it by hand.', true),
  );
});

ui.keyForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const key = ui.keyInput.value.trim();
  if (!key) return;
  apiKeyStore.set(key);
  ui.keyInput.value = '';
  showKeyState();
  say('API key kept for this tab.');
  void loadTargets();
});

byId('forget-key').addEventListener('click', () => {
  resetView();
  apiKeyStore.clear();
  showKeyState();
  say('API key forgotten.');
  ui.keyInput.focus();
});

byId('refresh-targets').addEventListener('click', () => void loadTargets());
byId('refresh-deliveries').addEventListener('click', () => void loadDeliveries({ reset: true }));
ui.statusFilter.addEventListener('change', () => {
  state.nextCursor = null;
  void loadDeliveries({ reset: true });
});
ui.moreDeliveries.addEventListener('click', () => void loadDeliveries({ reset: false }));

showKeyState();
if (apiKeyStore.get()) void loadTargets();
