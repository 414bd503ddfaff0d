// Small DOM helpers: elements are built with textContent only (no HTML strings), so nothing a user or an app
// wrote can become markup.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function render(target, ...children) {
  target.replaceChildren();
  append(target, children);
  return target;
}

export function notify(message, kind = 'ok') {
  const box = document.getElementById('notice');
  render(box, h('p', { class: kind }, message));
  if (kind === 'ok') setTimeout(() => { if (box.textContent === message) box.replaceChildren(); }, 6000);
}

/** A problem from the API as a person reads it: the detail, then each field error. */
export function problemText(error) {
  if (error?.errors?.length) return error.errors.map((e) => `${e.field}: ${e.message}`).join('\n');
  return error?.message || String(error);
}

export function showError(error) {
  notify(problemText(error), 'error');
}

/** Asks before an action; resolves true when confirmed. A native dialog: focus trapped, Escape cancels. */
export function confirmAction(question, confirmLabel) {
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: 'confirm', 'aria-label': 'Confirm' },
      h('form', { method: 'dialog' },
        h('p', {}, question),
        h('div', { class: 'actions' },
          h('button', { value: 'cancel', type: 'submit' }, 'Cancel'),
          h('button', { value: 'ok', type: 'submit', class: 'primary', 'data-confirm': '' }, confirmLabel))));
    dialog.addEventListener('close', () => { dialog.remove(); resolve(dialog.returnValue === 'ok'); });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** Runs an action from a button: disables it meanwhile, shows the API's error if it fails. */
export async function busy(button, action) {
  button.disabled = true;
  try {
    return await action();
  } catch (e) {
    showError(e);
    return undefined;
  } finally {
    button.disabled = false;
  }
}

export function ago(time) {
  if (!time) return '—';
  const seconds = Math.round((Date.now() - new Date(time).getTime()) / 1000);
  if (seconds < 60) return `${Math.max(seconds, 0)} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return new Date(time).toLocaleDateString();
}

export function duration(ms) {
  if (ms === null || ms === undefined) return '';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`;
}

export function bytes(n) {
  if (n === null || n === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i ? 1 : 0)} ${units[i]}`;
}

export function badge(state) {
  return h('span', { class: `badge ${state}` }, state);
}

export function time(value) {
  return value ? h('time', { datetime: value, title: new Date(value).toLocaleString() }, ago(value)) : '—';
}

/** Shows the current page again (after a change that does not move elsewhere). */
export function refresh() {
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

/** A small form with a heading: fields, one submit button, and the API's error under it when the action fails. */
export function inlineForm(label, fields, submitLabel, onSubmit) {
  const error = h('p', { class: 'error', role: 'alert' });
  const el = h('form', { class: 'inline-form', 'aria-label': label, onsubmit: async (event) => {
    event.preventDefault();
    error.textContent = '';
    try {
      await onSubmit(new FormData(el));
    } catch (e) {
      error.textContent = problemText(e);
    }
  } }, h('h2', {}, label), h('div', { class: 'fields' }, fields, h('button', { type: 'submit', class: 'primary' }, submitLabel)), error);
  return el;
}

/** A button that asks first, then runs the action and reloads the page. */
export function confirmButton(label, question, action) {
  const button = h('button', { type: 'button', onclick: () => busy(button, async () => {
    if (await confirmAction(question, label)) { await action(); refresh(); }
  }) }, label);
  return button;
}
