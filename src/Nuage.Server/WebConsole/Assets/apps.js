// Apps: the list (status, runtime, flavor × instances, URL, last deploy) and the create form.
import { api, can, enc } from './api.js';
import { badge, h, problemText, time } from './ui.js';

const runtimes = ['static', 'node', 'python', 'php', 'dotnet', 'go', 'procfile'];
const flavors = ['pico', 'nano', 'XS', 'S', 'M', 'L', 'XL'];

export async function appsPage() {
  const apps = [];
  let cursor = null;
  do {
    const page = await api.get(`/v1/apps?limit=200${cursor ? `&cursor=${enc(cursor)}` : ''}`);
    apps.push(...page.items);
    cursor = page.next;
  } while (cursor);

  const rows = apps.map((app) => {
    // The listing carries each app's newest deployment: no request per row.
    const last = app.lastDeployment;
    const lastDeploy = h('td', { 'data-label': 'Last deploy' }, last ? h('span', {}, badge(last.state), ' ', time(last.createdAt)) : 'never');
    return h('tr', {},
      h('th', { scope: 'row', 'data-label': 'App' }, h('a', { href: `#/apps/${enc(app.name)}` }, app.name)),
      h('td', { 'data-label': 'Status' }, badge(app.status)),
      h('td', { 'data-label': 'Runtime' }, app.runtime),
      h('td', { 'data-label': 'Size' }, `${app.flavor} × ${app.instances}`),
      h('td', { 'data-label': 'URL' }, h('a', { href: app.url, rel: 'noopener noreferrer', target: '_blank' }, app.url)),
      lastDeploy);
  });

  return {
    content: [
      h('h1', {}, 'Apps'),
      can('developer') ? createForm() : null,
      apps.length === 0
        ? h('p', { class: 'muted' }, 'No apps yet.')
        : h('table', { class: 'list', 'aria-label': 'Apps' },
          h('thead', {}, h('tr', {}, ['App', 'Status', 'Runtime', 'Size', 'URL', 'Last deploy'].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, rows)),
    ],
  };
}

function createForm() {
  const error = h('p', { class: 'error', role: 'alert' });
  const select = (id, values, selected) => h('select', { id, name: id }, values.map((v) => h('option', { value: v, selected: v === selected }, v)));
  const form = h('form', { class: 'inline-form', 'aria-label': 'Create an app', onsubmit: async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    error.textContent = '';
    try {
      const app = await api.post('/v1/apps', {
        name: data.get('name'), runtime: data.get('runtime'), flavor: data.get('flavor'), instances: Number(data.get('instances')),
      });
      location.hash = `#/apps/${enc(app.name)}`;
    } catch (e) {
      error.textContent = problemText(e);
    }
  } },
  h('h2', {}, 'Create an app'),
  h('div', { class: 'fields' },
    h('label', {}, 'Name', h('input', { id: 'name', name: 'name', required: true, autocomplete: 'off' })),
    h('label', {}, 'Runtime', select('runtime', runtimes, 'node')),
    h('label', {}, 'Flavor', select('flavor', flavors, 'nano')),
    h('label', {}, 'Instances', h('input', { id: 'instances', name: 'instances', type: 'number', min: 1, max: 20, value: 1 })),
    h('button', { type: 'submit', class: 'primary' }, 'Create')),
  error);
  return form;
}
