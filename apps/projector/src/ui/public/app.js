// The agent's timeline viewer: API key once per tab, a customer by externalId, their profile and timeline
// (newest first, infinite scroll, type filter) with new items arriving live.

import { API_BASE, api, apiKeyStore, pathOf } from './shared/api.js';
import { absoluteTime, actorName, isCustomerChange, relativeTime } from './describe.js';
import { openLiveStream } from './live.js';
import { TimelineList } from './timeline-list.js';

const PAGE_SIZE = 25;
const TYPE_PATTERN = /^[a-z0-9_.]{1,100}$/;
const byId = (id) => document.getElementById(id);

const ui = {
  keyForm: byId('key-form'),
  keyInput: byId('api-key'),
  keyStatus: byId('key-status'),
  searchForm: byId('search-form'),
  externalId: byId('external-id'),
  message: byId('message'),
  profile: byId('profile'),
  timelineSection: byId('timeline-section'),
  liveStatus: byId('live-status'),
  filterForm: byId('filter-form'),
  typeFilter: byId('type-filter'),
  knownTypes: byId('known-types'),
  sentinel: byId('sentinel'),
  loadMore: byId('load-more'),
  timelineEnd: byId('timeline-end'),
  timeline: new TimelineList(byId('timeline')),
};

/** The customer on screen: { externalId, types, nextCursor, hasMore, loading, pageToken, stream }. */
let view;

function say(text, isError = false) {
  ui.message.textContent = text;
  ui.message.classList.toggle('error', isError);
}

function showKeyState() {
  const hasKey = Boolean(apiKeyStore.get());
  ui.keyForm.hidden = hasKey;
  ui.keyStatus.hidden = !hasKey;
}

function closeView() {
  view?.stream?.close();
  view = undefined;
  ui.profile.hidden = true;
  ui.timelineSection.hidden = true;
  ui.timeline.clear();
}

function handleError(error, externalId) {
  if (error.status === 401) {
    closeView();
    apiKeyStore.clear();
    showKeyState();
    say('The API key was refused: enter a valid key.', true);
    ui.keyInput.focus();
  } else if (error.code === 'CUSTOMER_NOT_FOUND') {
    closeView();
    say(`No customer with externalId "${externalId}" in this workspace.`, true);
  } else {
    say(`${error.message} (${error.code})`, true);
  }
}

function showProfile(customer) {
  byId('profile-name').textContent = customer.shortName
    ? `${customer.fullName} (${customer.shortName})`
    : customer.fullName;
  const { email, isVerified } = customer.email;
  byId('profile-email').textContent = `${email} · ${isVerified ? 'verified' : 'not verified'}`;
  const spam = byId('profile-spam');
  spam.textContent = customer.markedAsSpamAt
    ? `Marked as spam ${relativeTime(customer.markedAsSpamAt)} by ${actorName(customer.markedAsSpamBy)}`
    : 'Not marked as spam';
  spam.classList.toggle('warning', Boolean(customer.markedAsSpamAt));
  byId('profile-external-id').textContent = customer.externalId ?? '—';
  byId('profile-id').textContent = customer.id;
  byId('profile-created').textContent = absoluteTime(customer.createdAt);
  ui.profile.hidden = false;
}

function setLiveStatus(text, state) {
  ui.liveStatus.textContent = text;
  ui.liveStatus.dataset.state = state;
}

function updateKnownTypes() {
  ui.knownTypes.replaceChildren(
    ...ui.timeline.types.map((type) => Object.assign(document.createElement('option'), { value: type })),
  );
}

function sentinelInView() {
  return ui.sentinel.getBoundingClientRect().top < window.innerHeight + 200;
}

async function loadPage(current) {
  if (current.loading || view !== current || (!current.hasMore && current.loadedOnce)) return;
  current.loading = true;
  ui.loadMore.disabled = true;
  const token = current.pageToken;
  try {
    const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (current.types.length) params.set('types', current.types.join(','));
    if (current.nextCursor) params.set('cursor', current.nextCursor);
    const page = await api(`${pathOf`customers/${current.externalId}/timeline`}?${params}`);
    if (view !== current || token !== current.pageToken) return;
    for (const item of page.items) ui.timeline.add(item);
    Object.assign(current, { nextCursor: page.nextCursor, hasMore: page.hasMore, loadedOnce: true });
    ui.loadMore.hidden = !page.hasMore;
    ui.timelineEnd.hidden = page.hasMore;
    ui.timelineEnd.textContent = ui.timeline.items.length ? 'Beginning of the timeline.' : 'No items.';
    updateKnownTypes();
  } catch (error) {
    handleError(error, current.externalId);
  } finally {
    if (token === current.pageToken) current.loading = false;
    ui.loadMore.disabled = false;
  }
  // A tall screen may show the whole page at once: keep going until the bottom is out of sight.
  if (view === current && current.hasMore && sentinelInView()) void loadPage(current);
}

function onLiveItem(current, item) {
  if (current.types.length && !current.types.includes(item.type)) return;
  // Older than what is shown while more pages remain: scrolling down will bring it at its place.
  if (current.hasMore && ui.timeline.isBeyondOldest(item)) return;
  if (ui.timeline.add(item, { isNew: true })) {
    say(`New on the timeline: ${item.type}`);
    updateKnownTypes();
  }
  if (isCustomerChange(item.type)) {
    api(pathOf`customers/${current.externalId}`).then(
      (customer) => view === current && showProfile(customer),
      () => undefined,
    );
  }
}

/** Opens the live stream; resolves once it is listening (or failed), so the first page misses nothing. */
function startLive(current) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 5000);
    const settle = () => {
      clearTimeout(timer);
      resolve();
    };
    const url = new URL(pathOf`customers/${current.externalId}/timeline/stream`, API_BASE);
    setLiveStatus('Connecting…', 'connecting');
    current.stream = openLiveStream(url, apiKeyStore.get(), {
      onStatus: (status) => {
        if (view !== current) return;
        if (status === 'reconnecting') setLiveStatus('Reconnecting…', 'reconnecting');
        if (status === 'refused') setLiveStatus('Live updates refused', 'off');
        if (status !== 'connected') settle();
      },
      onConnectFailed: settle,
      onEvent: (event, data) => {
        if (view !== current) return;
        if (event === 'ready') {
          setLiveStatus('Live', 'live');
          settle();
        } else if (event === 'item') onLiveItem(current, data);
        else if (event === 'reset') void openCustomer(current.externalId, current.types);
      },
    });
  });
}

async function openCustomer(externalId, types = []) {
  if (!apiKeyStore.get()) {
    say('Enter an API key first.', true);
    ui.keyInput.focus();
    return;
  }
  closeView();
  const current = { externalId, types, nextCursor: null, hasMore: false, loading: false, pageToken: 0 };
  view = current;
  say(`Looking up ${externalId}…`);
  history.replaceState(null, '', `?${new URLSearchParams({ externalId })}`);
  try {
    const customer = await api(pathOf`customers/${externalId}`);
    if (view !== current) return;
    showProfile(customer);
  } catch (error) {
    if (view === current) handleError(error, externalId);
    return;
  }
  say('');
  ui.typeFilter.value = types.join(',');
  ui.timelineSection.hidden = false;
  await startLive(current);
  await loadPage(current);
}

function applyFilter(types) {
  if (!view) return;
  const invalid = types.find((type) => !TYPE_PATTERN.test(type));
  if (invalid) {
    say(`"${invalid}" is not an event type (lower-case letters, digits, "_" and ".").`, true);
    return;
  }
  say(types.length ? `Showing ${types.join(', ')} only.` : 'Showing every type.');
  Object.assign(view, { types, nextCursor: null, hasMore: false, loadedOnce: false, loading: false });
  view.pageToken += 1;
  ui.timeline.clear();
  void loadPage(view);
}

ui.keyForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const key = ui.keyInput.value.trim();
  if (!key) return;
  apiKeyStore.set(key);
  ui.keyInput.value = '';
  showKeyState();
  say('API key kept for this tab.');
  ui.externalId.focus();
});

byId('forget-key').addEventListener('click', () => {
  closeView();
  apiKeyStore.clear();
  showKeyState();
  say('API key forgotten.');
  ui.keyInput.focus();
});

ui.searchForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const externalId = ui.externalId.value.trim();
  if (externalId) void openCustomer(externalId);
});

ui.filterForm.addEventListener('submit', (event) => {
  event.preventDefault();
  applyFilter(
    ui.typeFilter.value
      .split(',')
      .map((type) => type.trim())
      .filter(Boolean),
  );
});

byId('clear-filter').addEventListener('click', () => {
  ui.typeFilter.value = '';
  applyFilter([]);
});

ui.loadMore.addEventListener('click', () => view && void loadPage(view));

new IntersectionObserver(
  (entries) => {
    if (view?.hasMore && entries.some((entry) => entry.isIntersecting)) void loadPage(view);
  },
  { rootMargin: '200px' },
).observe(ui.sentinel);

setInterval(() => ui.timeline.refreshTimes(), 30_000);

showKeyState();
const linked = new URLSearchParams(location.search).get('externalId');
if (linked) {
  ui.externalId.value = linked;
  if (apiKeyStore.get()) void openCustomer(linked);
}
