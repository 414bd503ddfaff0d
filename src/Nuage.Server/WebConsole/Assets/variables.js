// Variables: a table or a .env text, checked by the server as you type (POST /v1/apps/{app}/env/check runs the
// registry's validator: the same messages and did-you-mean as the CLI), saved with a diff and a redeploy offer.
import { api, can, enc } from './api.js';
import { appHeader } from './tabs.js';
import { busy, confirmAction, h, notify, render } from './ui.js';

export async function variablesPage(app) {
  const base = `/v1/apps/${enc(app)}`;
  const [appInfo, env] = await Promise.all([api.get(base), api.get(`${base}/env`)]);
  const saved = env.variables;
  if (!can('developer')) return { content: [appHeader(app, 'Variables', 'Variables'), readOnlyTable(saved)] };

  const schema = await api.get(`/v1/variables/schema?runtime=${enc(appInfo.runtime)}`).catch(() => null);
  const known = schema ? Object.keys(schema.properties) : [];
  const names = h('datalist', { id: 'variable-names' }, known.map((n) => h('option', { value: n }, schema.properties[n].description?.slice(0, 80))));

  let rows = Object.entries(saved).map(([name, value]) => ({ name, value }));
  let mode = 'table';
  let current = { ...saved };
  let valid = true;
  const problems = h('div', { id: 'variable-problems', 'aria-live': 'polite' });
  const editor = h('div');
  const reveal = h('input', { id: 'reveal', type: 'checkbox' });
  const dotenv = h('textarea', { id: 'dotenv', rows: 14, spellcheck: 'false', 'aria-label': '.env text', 'aria-describedby': 'variable-problems' });
  const save = h('button', { type: 'button', class: 'primary', onclick: () => busy(save, onSave) }, 'Save…');
  const after = h('div');

  let timer = 0;
  let generation = 0;
  const check = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const mine = ++generation;
      const body = mode === 'table' ? { variables: Object.fromEntries(rows.filter((r) => r.name).map((r) => [r.name, r.value])) } : { dotenv: dotenv.value };
      try {
        const result = await api.post(`${base}/env/check`, body);
        if (mine !== generation) return;
        current = result.variables;
        valid = true;
        render(problems, result.warnings.map((w) => h('p', { class: 'warning' }, w)));
      } catch (e) {
        if (mine !== generation) return;
        valid = false;
        render(problems, (e.errors.length ? e.errors : [{ field: '', message: e.message }]).map((err) =>
          h('p', { class: 'error', 'data-field': err.field }, err.field ? `${err.field}: ${err.message}` : err.message)));
      }
      save.disabled = !valid;
    }, 250);
  };

  const drawTable = () => {
    // Values are masked unless the registry knows the name as harmless (as the API redacts them for viewers).
    const type = (name) => (reveal.checked || (schema?.properties[name] && !schema.properties[name].writeOnly) ? 'text' : 'password');
    render(editor, h('table', { class: 'list vars', 'aria-label': 'Variables' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Value'), h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Remove')))),
      h('tbody', {}, rows.map((row, i) => {
        const label = () => row.name || `row ${i + 1}`;
        const value = h('input', { value: row.value, type: type(row.name), 'aria-label': `Value of ${label()}`, 'aria-describedby': 'variable-problems', class: 'var-value', spellcheck: 'false', autocomplete: 'off',
          oninput: (e) => { row.value = e.target.value; check(); } });
        const remove = h('button', { type: 'button', 'aria-label': `Remove ${label()}`, onclick: () => { rows.splice(i, 1); drawTable(); check(); } }, '✕');
        const name = h('input', { value: row.name, list: 'variable-names', 'aria-label': `Name ${i + 1}`, class: 'var-name', spellcheck: 'false', autocomplete: 'off',
          oninput: (e) => {
            row.name = e.target.value;
            value.setAttribute('aria-label', `Value of ${label()}`);
            value.type = type(row.name);
            remove.setAttribute('aria-label', `Remove ${label()}`);
            check();
          } });
        return h('tr', {}, h('td', {}, name), h('td', {}, value), h('td', {}, remove));
      }))),
    h('button', { type: 'button', onclick: () => { rows.push({ name: '', value: '' }); drawTable(); editor.querySelector('tbody tr:last-child input')?.focus(); } }, 'Add a variable'));
  };

  const setMode = (next) => {
    if (next === mode) return;
    if (next === 'dotenv') {
      dotenv.value = rows.filter((r) => r.name).map((r) => `${r.name}=${quote(r.value)}`).join('\n') + '\n';
      render(editor, dotenv);
    } else {
      if (!valid) { notify('Fix the .env text before switching to the table.', 'error'); return; }
      rows = Object.entries(current).map(([name, value]) => ({ name, value }));
      drawTable();
    }
    mode = next;
    for (const b of modeButtons.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.mode === mode));
  };
  const modeButtons = h('div', { class: 'row', role: 'group', 'aria-label': 'Edit as' },
    h('button', { type: 'button', 'data-mode': 'table', 'aria-pressed': 'true', onclick: () => setMode('table') }, 'Table'),
    h('button', { type: 'button', 'data-mode': 'dotenv', 'aria-pressed': 'false', onclick: () => setMode('dotenv') }, '.env'),
    h('label', { class: 'check' }, reveal, ' Show values'));
  reveal.addEventListener('change', drawTable);
  dotenv.addEventListener('input', check);

  async function onSave() {
    const diff = changes(saved, current);
    if (diff.length === 0) { notify('Nothing changed.'); return; }
    if (!(await confirmAction(`Save these changes to ${app}?\n${diff.join('\n')}`, 'Save'))) return;
    const result = await api.put(`${base}/env`, current);
    Object.keys(saved).forEach((k) => delete saved[k]);
    Object.assign(saved, result.variables);
    notify('Variables saved. They apply at the next deployment.');
    const redeploy = h('button', { type: 'button', class: 'primary', onclick: () => busy(redeploy, async () => {
      const deployment = await api.post(`${base}/redeploy`, {});
      location.hash = `#/apps/${enc(app)}/deployments/${enc(deployment.id)}`;
    }) }, 'Redeploy now');
    render(after, h('div', { class: 'saved', role: 'status' }, h('p', {}, 'Saved:'), h('ul', {}, diff.map((d) => h('li', {}, d))),
      appInfo.currentDeploymentId ? redeploy : h('p', { class: 'muted' }, 'The app has no release yet: the next deploy uses them.')));
  }

  drawTable();
  return {
    content: [appHeader(app, 'Variables', 'Variables'), names, modeButtons, editor, problems, h('div', { class: 'row' }, save), after],
    leave: () => clearTimeout(timer),
  };
}

/** What a save changes, by name; values are not shown (they may be secrets). */
function changes(before, afterValues) {
  const lines = [];
  for (const name of Object.keys(afterValues).sort()) {
    if (!(name in before)) lines.push(`+ ${name} (added)`);
    else if (before[name] !== afterValues[name]) lines.push(`~ ${name} (changed)`);
  }
  for (const name of Object.keys(before).sort()) if (!(name in afterValues)) lines.push(`- ${name} (removed)`);
  return lines;
}

/** A value as .env text: bare when safe, else double-quoted with the escapes the server's parser reads. */
function quote(value) {
  if (/^[A-Za-z0-9_./:@,+%-]*$/.test(value)) return value;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function readOnlyTable(values) {
  const names = Object.keys(values).sort();
  return names.length === 0 ? h('p', { class: 'muted' }, 'No variables.') : h('table', { class: 'list vars', 'aria-label': 'Variables' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Value'))),
    h('tbody', {}, names.map((n) => h('tr', {}, h('th', { scope: 'row' }, n), h('td', {}, values[n])))));
}
