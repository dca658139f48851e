// The agent's timeline viewer: API key once per tab, a customer by externalId, their profile and timeline
// (newest first, infinite scroll, type filter) with new items arriving live.

import { API_BASE, api, apiKeyStore, pathOf } from './shared/api.js';
import { keyBar } from './shared/key-bar.js';
import { copyButton } from './copy.js';
import { absoluteTime, actorFullName, actorName, isCustomerChange, relativeTime } from './describe.js';
import { openLiveStream } from './live.js';
import { TimelineList } from './timeline-list.js';

const PAGE_SIZE = 25;
const TYPE_PATTERN = /^[a-z0-9_.]{1,100}$/;
const byId = (id) => document.getElementById(id);

const apiKey = keyBar({
  say,
  onKey: () => {
    if (pendingExternalId) {
      const { types, excludeTypes } = linkedFilters();
      void openCustomer(pendingExternalId, types, excludeTypes);
    } else ui.externalId.focus();
  },
  onForget: () => closeView(),
});

const ui = {
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
  searchResults: byId('search-results'),
  typeCounts: byId('type-counts'),
  newerPill: byId('newer-pill'),
};

/** A deep link's customer, opened once the tab has a key. */
let pendingExternalId;

/** The customer on screen: { externalId, types, nextCursor, hasMore, loading, pageToken, stream }. */
let view;

function say(text, isError = false) {
  ui.message.textContent = text;
  ui.message.classList.toggle('error', isError);
}

function closeView() {
  view?.stream?.close();
  view = undefined;
  ui.profile.hidden = true;
  ui.typeCounts.replaceChildren();
  hideNewerPill();
  ui.timelineSection.hidden = true;
  ui.timeline.clear();
}

function handleError(error, externalId) {
  if (error.status === 401) {
    closeView();
    apiKey.refused();
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
  spam.title = customer.markedAsSpamAt ? `by ${actorFullName(customer.markedAsSpamBy)}` : '';
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
    if (current.excludeTypes.length) params.set('excludeTypes', current.excludeTypes.join(','));
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

/** Counts per type, each with "Only" (include) and "Hide" (exclude) toggles; the URL keeps the choice. */
function renderTypeCounts(current) {
  ui.typeCounts.replaceChildren(
    ...current.counts.map(({ type, count }) => {
      const li = document.createElement('li');
      li.dataset.type = type;
      const name = Object.assign(document.createElement('span'), {
        className: 'type-name',
        textContent: type,
      });
      const number = Object.assign(document.createElement('span'), {
        className: 'count',
        textContent: count.toLocaleString('en-US'),
      });
      const toggle = (label, list) => {
        const button = Object.assign(document.createElement('button'), {
          type: 'button',
          textContent: label,
        });
        button.className = 'toggle';
        button.setAttribute('aria-label', `${label} ${type}`);
        button.setAttribute('aria-pressed', String(current[list].includes(type)));
        button.addEventListener('click', () => {
          const next = {
            types: current.types.filter((t) => t !== type),
            excludeTypes: current.excludeTypes.filter((t) => t !== type),
          };
          if (!current[list].includes(type)) next[list].push(type);
          applyFilter(next.types, next.excludeTypes);
        });
        return button;
      };
      li.append(name, number, toggle('Only', 'types'), toggle('Hide', 'excludeTypes'));
      li.classList.toggle('excluded', current.excludeTypes.includes(type));
      return li;
    }),
  );
}

async function loadTypeCounts(current) {
  try {
    const { items } = await api(pathOf`customers/${current.externalId}/timeline/types`);
    if (view !== current) return;
    current.counts = items;
    renderTypeCounts(current);
  } catch (error) {
    if (view === current) handleError(error, current.externalId);
  }
}

function countArrival(current, type) {
  const entry = current.counts.find((c) => c.type === type);
  if (entry) entry.count += 1;
  else current.counts.push({ type, count: 1 });
  current.counts.sort((a, b) => b.count - a.count || (a.type < b.type ? -1 : 1));
  renderTypeCounts(current);
}

function hideNewerPill() {
  if (view) view.newerAbove = 0;
  ui.newerPill.hidden = true;
}

/** An item that lands out of sight (the agent has scrolled down) is counted on a pill, not announced. */
function announceArrival(current, item) {
  const box = ui.timeline.nodeOf(item.id)?.getBoundingClientRect();
  if (box && box.bottom > 0 && box.top < window.innerHeight) {
    say(`New on the timeline: ${item.type}`);
    return;
  }
  current.newerAbove = (current.newerAbove ?? 0) + 1;
  ui.newerPill.textContent = `${current.newerAbove} newer ${current.newerAbove === 1 ? 'event' : 'events'} above`;
  ui.newerPill.hidden = false;
}

function onLiveItem(current, item) {
  countArrival(current, item.type);
  if (current.types.length && !current.types.includes(item.type)) return;
  if (current.excludeTypes.includes(item.type)) return;
  // Older than what is shown while more pages remain: scrolling down will bring it at its place.
  if (current.hasMore && ui.timeline.isBeyondOldest(item)) return;
  if (ui.timeline.add(item, { isNew: true })) {
    announceArrival(current, item);
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
        else if (event === 'reset')
          void openCustomer(current.externalId, current.types, current.excludeTypes);
      },
    });
  });
}

function writeUrl(current) {
  const params = new URLSearchParams({ externalId: current.externalId });
  if (current.types.length) params.set('types', current.types.join(','));
  if (current.excludeTypes.length) params.set('excludeTypes', current.excludeTypes.join(','));
  history.replaceState(null, '', `?${params}`);
}

async function openCustomer(externalId, types = [], excludeTypes = []) {
  if (!apiKeyStore.get()) {
    pendingExternalId = externalId;
    say(`Enter an API key to open ${externalId}.`, true);
    apiKey.focus();
    return;
  }
  pendingExternalId = undefined;
  closeView();
  ui.searchResults.hidden = true;
  const current = {
    externalId,
    types,
    excludeTypes,
    counts: [],
    nextCursor: null,
    hasMore: false,
    loading: false,
    pageToken: 0,
  };
  view = current;
  say(`Looking up ${externalId}…`);
  writeUrl(current);
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
  void loadTypeCounts(current);
  await startLive(current);
  await loadPage(current);
}

function applyFilter(types, excludeTypes = view?.excludeTypes ?? []) {
  if (!view) return;
  const invalid = [...types, ...excludeTypes].find((type) => !TYPE_PATTERN.test(type));
  if (invalid) {
    say(`"${invalid}" is not an event type (lower-case letters, digits, "_" and ".").`, true);
    return;
  }
  const shown = types.length ? `Showing ${types.join(', ')} only` : 'Showing every type';
  say(excludeTypes.length ? `${shown}, without ${excludeTypes.join(', ')}.` : `${shown}.`);
  Object.assign(view, {
    types,
    excludeTypes,
    nextCursor: null,
    hasMore: false,
    loadedOnce: false,
    loading: false,
  });
  view.pageToken += 1;
  ui.typeFilter.value = types.join(',');
  ui.timeline.clear();
  hideNewerPill();
  writeUrl(view);
  renderTypeCounts(view);
  void loadPage(view);
}

function customerLabel(customer) {
  return `${customer.fullName}${customer.shortName ? ` (${customer.shortName})` : ''}`;
}

/** Part of an email, a name or an externalId: one match opens, several are listed, none tries the exact id. */
async function findCustomer(text) {
  if (text.length < 2) return openCustomer(text);
  if (!apiKeyStore.get()) return openCustomer(text);
  let items;
  try {
    ({ items } = await api(`customers?${new URLSearchParams({ query: text, limit: '20' })}`));
  } catch (error) {
    return handleError(error, text);
  }
  if (items.length === 0) return openCustomer(text);
  if (items.length === 1 || items[0].externalId === text) return openCustomer(items[0].externalId ?? text);
  say(`${items.length} customers match "${text}": choose one.`);
  ui.searchResults.replaceChildren(
    ...items.map((customer) => {
      const li = document.createElement('li');
      const button = Object.assign(document.createElement('button'), { type: 'button', className: 'result' });
      const name = Object.assign(document.createElement('strong'), { textContent: customerLabel(customer) });
      const email = Object.assign(document.createElement('span'), { textContent: customer.email.email });
      const id = Object.assign(document.createElement('span'), {
        className: 'mono',
        textContent: customer.externalId ?? customer.id,
      });
      button.append(name, email, id);
      button.addEventListener('click', () => void openCustomer(customer.externalId));
      li.append(button);
      return li;
    }),
  );
  ui.searchResults.hidden = false;
}

ui.searchForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = ui.externalId.value.trim();
  if (text) void findCustomer(text);
});

ui.filterForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const types = ui.typeFilter.value
    .split(',')
    .map((type) => type.trim())
    .filter(Boolean);
  applyFilter(types);
});

byId('clear-filter').addEventListener('click', () => {
  ui.typeFilter.value = '';
  applyFilter([], []);
});

ui.loadMore.addEventListener('click', () => view && void loadPage(view));

new IntersectionObserver(
  (entries) => {
    if (view?.hasMore && entries.some((entry) => entry.isIntersecting)) void loadPage(view);
  },
  { rootMargin: '200px' },
).observe(ui.sentinel);

setInterval(() => ui.timeline.refreshTimes(), 30_000);

ui.newerPill.addEventListener('click', () => {
  hideNewerPill();
  ui.timelineSection.scrollIntoView({ behavior: 'smooth' });
});

window.addEventListener(
  'scroll',
  () => {
    if (!ui.newerPill.hidden && ui.timeline.list.getBoundingClientRect().top >= 0) hideNewerPill();
  },
  { passive: true },
);

for (const id of ['profile-external-id', 'profile-id']) {
  const target = byId(id);
  target.after(
    ' ',
    copyButton(id === 'profile-id' ? 'customer id' : 'externalId', () => target.textContent),
  );
}

function linkedFilters() {
  const params = new URLSearchParams(location.search);
  const list = (name) => (params.get(name) ?? '').split(',').filter(Boolean);
  return { types: list('types'), excludeTypes: list('excludeTypes') };
}

const linked = new URLSearchParams(location.search).get('externalId');
if (linked) {
  ui.externalId.value = linked;
  const { types, excludeTypes } = linkedFilters();
  void openCustomer(linked, types, excludeTypes);
}
