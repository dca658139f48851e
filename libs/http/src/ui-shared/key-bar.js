// The API key in a page's header: asked for once, kept for this tab (sessionStorage), forgotten on request or
// when the API refuses it. Each page's header holds `<div id="key-bar"></div>`, which keyBar replaces.

import { apiKeyStore } from './api.js';

const MARKUP = `
  <form id="key-form" class="inline-form" autocomplete="off">
    <label for="api-key">API key</label>
    <input id="api-key" name="apiKey" type="password" required spellcheck="false" autocomplete="off" />
    <button type="submit">Use key</button>
  </form>
  <div id="key-status" class="key-status" hidden>
    <span>API key kept for this tab</span>
    <button type="button" id="forget-key">Forget key</button>
  </div>`;

/**
 * Puts the key form in the header and wires it. `say(text, isError)` is the page's status line; `onKey` runs once a
 * key is entered and kept; `onForget` runs first when the user forgets the key (close what it had opened).
 * Returns `focus()` (ask for a key) and `refused()` (the API answered 401: drop the key and ask for another).
 */
export function keyBar({ say, onKey, onForget }) {
  const template = document.createElement('template');
  template.innerHTML = MARKUP;
  document.getElementById('key-bar').replaceWith(template.content);
  const form = document.getElementById('key-form');
  const input = document.getElementById('api-key');
  const status = document.getElementById('key-status');

  const show = () => {
    const hasKey = Boolean(apiKeyStore.get());
    form.hidden = hasKey;
    status.hidden = !hasKey;
  };
  const drop = (text, isError = false) => {
    apiKeyStore.clear();
    show();
    say(text, isError);
    input.focus();
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (!key) return;
    apiKeyStore.set(key);
    input.value = '';
    show();
    say('API key kept for this tab.');
    onKey();
  });
  document.getElementById('forget-key').addEventListener('click', () => {
    onForget();
    drop('API key forgotten.');
  });
  show();

  return {
    focus: () => input.focus(),
    refused: () => drop('The API key was refused: enter a valid key.', true),
  };
}
