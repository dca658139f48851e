// The targets table: one row per webhook target, with its health, its last 24 hours and its actions.

import { element, healthOf, successRateText, timeElement } from './format.js';

function button(text, onClick, label, className) {
  const node = element('button', className, text);
  node.type = 'button';
  if (label) node.setAttribute('aria-label', label);
  node.addEventListener('click', () => onClick(node));
  return node;
}

/**
 * Renders `targets` into `tbody`. `actions` = { showDeliveries, edit, sendTest, recover, setEnabled,
 * rotateSecret, remove }, each called with (target, button); `stats` maps a target id to its 24 h stats.
 */
export function renderTargets(tbody, targets, actions, selectedId, stats = new Map()) {
  tbody.replaceChildren(
    ...targets.map((target) => {
      const row = element('tr');
      row.dataset.targetId = target.id;
      if (target.id === selectedId) row.classList.add('selected');

      const name = element('td');
      name.append(element('div', 'url mono', target.url));
      if (target.description) name.append(element('div', 'description', target.description));
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

      const rate = element('td', 'success-rate');
      const rateText = successRateText(stats.get(target.id));
      rate.append(element('span', `rate ${rateText.state}`, rateText.text));
      if (rateText.detail) rate.append(element('div', 'help', rateText.detail));

      const buttons = element('td', 'actions');
      const url = target.url;
      buttons.append(
        button('Deliveries', (b) => actions.showDeliveries(target, b), `Deliveries of ${url}`),
        button('Send test', (b) => actions.sendTest(target, b), `Send a test event to ${url}`),
        button('Recover', (b) => actions.recover(target, b), `Recover failed deliveries to ${url}`),
        button('Edit', (b) => actions.edit(target, b), `Edit ${url}`),
        target.enabled
          ? button('Disable', (b) => actions.setEnabled(target, false, b), `Disable ${url}`)
          : button('Enable', (b) => actions.setEnabled(target, true, b), `Enable ${url}`),
        button('Rotate secret', (b) => actions.rotateSecret(target, b), `Rotate secret of ${url}`),
        button('Delete', (b) => actions.remove(target, b), `Delete ${url}`, 'danger'),
      );
      const sendTest = buttons.children[1];
      sendTest.disabled = !target.enabled;
      buttons.children[2].disabled = !target.enabled;
      if (!target.enabled) sendTest.title = 'Enable the target to send a test event';

      row.append(
        name,
        element('td', 'mono nowrap', target.version),
        element('td', 'event-types', target.eventTypes.join(', ')),
        healthCell,
        lastSuccess,
        rate,
        buttons,
      );
      return row;
    }),
  );
}
