// The targets table: one row per webhook target, with its health and its actions.

import { element, healthOf, timeElement } from './format.js';

function button(text, onClick, label) {
  const node = element('button', undefined, text);
  node.type = 'button';
  if (label) node.setAttribute('aria-label', label);
  node.addEventListener('click', onClick);
  return node;
}

/** Renders `targets` into `tbody`; `actions` = { showDeliveries(target), rotateSecret(target) }. */
export function renderTargets(tbody, targets, actions, selectedId) {
  tbody.replaceChildren(
    ...targets.map((target) => {
      const row = element('tr');
      row.dataset.targetId = target.id;
      if (target.id === selectedId) row.classList.add('selected');

      const name = element('td');
      name.append(element('div', 'url mono', target.url));
      if (target.description) name.append(element('div', 'help', target.description));
      name.append(element('div', 'help mono', target.id));

      const health = healthOf(target);
      const healthCell = element('td');
      healthCell.append(element('span', `health ${health.state}`, health.text));
      if (target.previousSecretExpiresAt) {
        const rotation = element('div', 'help', 'previous secret valid until ');
        rotation.append(timeElement(target.previousSecretExpiresAt));
        healthCell.append(rotation);
      }

      const lastSuccess = element('td');
      lastSuccess.append(
        target.lastSuccessAt ? timeElement(target.lastSuccessAt) : document.createTextNode('never'),
      );

      const buttons = element('td', 'actions');
      buttons.append(
        button('Deliveries', () => actions.showDeliveries(target), `Deliveries of ${target.url}`),
        button('Rotate secret', () => actions.rotateSecret(target), `Rotate secret of ${target.url}`),
      );

      row.append(
        name,
        element('td', 'mono nowrap', target.version),
        element('td', undefined, target.eventTypes.join(', ')),
        healthCell,
        lastSuccess,
        buttons,
      );
      return row;
    }),
  );
}
