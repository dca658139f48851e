// Copy buttons: the clipboard API where the page may use it, a hidden text area otherwise.

async function writeText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    const area = Object.assign(document.createElement('textarea'), { value: text, readOnly: true });
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
}

/** A small "Copy" button copying `text()`; its label says "Copied" for a moment. */
export function copyButton(label, text) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'copy';
  button.textContent = 'Copy';
  button.setAttribute('aria-label', `Copy ${label}`);
  button.addEventListener('click', async () => {
    await writeText(text());
    button.textContent = 'Copied';
    setTimeout(() => (button.textContent = 'Copy'), 1500);
  });
  return button;
}
