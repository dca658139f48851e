// The rendered timeline: items kept newest occurredAt first (ties by id), as the API orders them.

import { copyButton } from './copy.js';
import {
  absoluteTime,
  actorFullName,
  changeSentences,
  isCustomerChange,
  relativeTime,
  summaryChips,
} from './describe.js';

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Negative when `a` comes before (is newer than) `b`. */
function compare(a, b) {
  if (a.occurredAt !== b.occurredAt) return a.occurredAt > b.occurredAt ? -1 : 1;
  return a.id > b.id ? -1 : a.id < b.id ? 1 : 0;
}

function timeElement(iso, className) {
  const time = element('time', className, relativeTime(iso));
  time.dateTime = iso;
  time.title = iso;
  return time;
}

function render(item, isNew) {
  const li = element('li', `item${isCustomerChange(item.type) ? ' change' : ''}${isNew ? ' is-new' : ''}`);
  li.dataset.id = item.id;
  li.dataset.type = item.type;

  const head = element('div', 'item-head');
  head.append(element('span', 'type', item.type));
  if (isNew) head.append(element('span', 'badge', 'New'));
  head.append(
    timeElement(item.occurredAt, 'relative'),
    element('span', 'absolute', absoluteTime(item.occurredAt)),
  );
  // An antidated event (a historical import) says when it reached the pipeline too.
  if (Math.abs(Date.parse(item.createdAt) - Date.parse(item.occurredAt)) > 60_000) {
    const received = element('span', 'received', 'received ');
    received.append(timeElement(item.createdAt, 'relative'));
    head.append(received);
  }
  li.append(head);

  if (item.title) {
    li.append(element('p', 'summary-line title', item.title));
  } else if (isCustomerChange(item.type)) {
    const sentences = element('ul', 'sentences');
    const actor = actorFullName(item.payload?.actor);
    for (const sentence of changeSentences(item.type, item.payload)) {
      const line = element('li', 'sentence', sentence);
      line.title = `by ${actor}`;
      sentences.append(line);
    }
    li.append(sentences);
  } else {
    const chips = element('p', 'summary-line chips');
    for (const chip of summaryChips(item.payload)) chips.append(element('span', 'chip', chip));
    if (chips.childElementCount) li.append(chips);
  }

  const details = element('details', 'payload');
  details.append(element('summary', undefined, 'Payload'));
  // The payload as the API sent it: JSON.parse kept its keys in their order, stringify keeps them.
  const json = JSON.stringify(item.payload, null, 2);
  const pre = element('pre');
  pre.append(element('code', undefined, json));
  const idLine = element('p', 'item-id', `id ${item.id} `);
  idLine.append(copyButton(`id ${item.id}`, () => item.id));
  details.append(
    copyButton(`payload of ${item.id}`, () => json),
    pre,
    idLine,
  );
  li.append(details);
  return li;
}

export class TimelineList {
  constructor(list) {
    this.list = list;
    this.items = [];
    this.ids = new Set();
  }

  clear() {
    this.items = [];
    this.ids.clear();
    this.list.replaceChildren();
  }

  get oldest() {
    return this.items[this.items.length - 1];
  }

  /** The rendered item, to tell whether it landed in view. */
  nodeOf(id) {
    return this.list.querySelector(`li[data-id="${CSS.escape(id)}"]`);
  }

  get types() {
    return [...new Set(this.items.map((item) => item.type))].sort();
  }

  /** Would `item` fall after the oldest item shown (so a later page will bring it)? */
  isBeyondOldest(item) {
    return this.oldest !== undefined && compare(item, this.oldest) > 0;
  }

  /** Inserts the item at its place; false when it is already shown. */
  add(item, { isNew = false } = {}) {
    if (this.ids.has(item.id)) return false;
    let index = this.items.findIndex((other) => compare(item, other) < 0);
    if (index < 0) index = this.items.length;
    const node = render(item, isNew);
    this.list.insertBefore(node, this.list.children[index] ?? null);
    this.items.splice(index, 0, item);
    this.ids.add(item.id);
    return true;
  }

  refreshTimes() {
    for (const time of this.list.querySelectorAll('time.relative'))
      time.textContent = relativeTime(time.dateTime);
  }
}
