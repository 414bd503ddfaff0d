// Add-ons: the organisation's databases (type, plan, status, linked apps), created, linked, backed up, restarted
// and deleted here. Credentials are not shown on this page: `nuage addon credentials` prints them.
import { api, can, enc } from './api.js';
import { badge, bytes, confirmButton, h, inlineForm, refresh, time } from './ui.js';

export async function addonsPage() {
  const [addons, catalog] = await Promise.all([api.get('/v1/addons'), api.get('/v1/addons/plans')]);
  const installed = catalog.types.filter((t) => t.installed);
  return {
    content: [
      h('h1', {}, 'Add-ons'),
      addons.length === 0 ? h('p', { class: 'muted' }, 'No add-on yet.') :
        h('table', { class: 'list', 'aria-label': 'Add-ons' },
          h('thead', {}, h('tr', {}, ['Add-on', 'Type', 'Plan', 'Status', 'Address', 'Memory', 'Linked apps', 'Created', ''].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, addons.map((a) => h('tr', { 'data-addon': a.name },
            h('th', { scope: 'row', 'data-label': 'Add-on' }, a.name),
            h('td', { 'data-label': 'Type' }, `${a.type} ${a.version}`),
            h('td', { 'data-label': 'Plan' }, a.plan),
            h('td', { 'data-label': 'Status' }, badge(a.status), a.lastError ? h('p', { class: 'error' }, a.lastError) : null),
            h('td', { 'data-label': 'Address' }, `${a.host}:${a.port}`),
            h('td', { 'data-label': 'Memory' }, a.memoryBytes ? bytes(a.memoryBytes) : '—'),
            h('td', { 'data-label': 'Linked apps' }, a.linkedApps.length === 0 ? '—' : a.linkedApps.flatMap((app, i) => [
              i > 0 ? ', ' : null,
              h('span', {}, h('a', { href: `#/apps/${enc(app)}` }, app),
                can('developer') ? [' ', confirmButton('Unlink', `Unlink ${app} from ${a.name}? Its next deploy or restart loses the variables and the connection.`,
                  () => api.del(`/v1/addons/${enc(a.name)}/links/${enc(app)}`))] : null),
            ])),
            h('td', { 'data-label': 'Created' }, time(a.createdAt)),
            h('td', {}, can('developer') ? [
              confirmButton('Back up', `Back up ${a.name} now?`, () => api.post(`/v1/addons/${enc(a.name)}/backups`)),
              ' ',
              confirmButton('Restart', `Restart ${a.name}? Open connections are cut.`, () => api.post(`/v1/addons/${enc(a.name)}/restart`)),
              ' ',
              confirmButton('Delete', `Delete ${a.name} and all its data${a.linkedApps.length ? ` (linked to ${a.linkedApps.join(', ')})` : ''}? This cannot be undone.`,
                () => api.del(`/v1/addons/${enc(a.name)}?force=true`)),
            ] : null))))),
      can('developer') ? inlineForm('Create an add-on', [
        h('label', {}, 'Add-on name', h('input', { name: 'name', required: true, autocomplete: 'off' })),
        h('label', {}, 'Type', h('select', { name: 'type' }, catalog.types.map((t) =>
          h('option', { value: t.name, disabled: !t.installed }, t.installed ? t.name : `${t.name} (needs ${t.package})`)))),
        h('label', {}, 'Plan', h('select', { name: 'plan' }, catalog.plans.map((p) =>
          h('option', { value: p.name }, `${p.name}: ${p.memoryMiB} MiB, ${p.maxConnections} connections`)))),
      ], 'Create', async (data) => {
        await api.post('/v1/addons', { name: data.get('name'), type: data.get('type'), plan: data.get('plan') });
        refresh();
      }) : null,
      can('developer') && addons.length > 0 ? inlineForm('Link an add-on to an app', [
        h('label', {}, 'Add-on', h('select', { name: 'addon' }, addons.map((a) => h('option', { value: a.name }, a.name)))),
        h('label', {}, 'App', h('input', { name: 'app', required: true, autocomplete: 'off' })),
      ], 'Link', async (data) => {
        await api.post(`/v1/addons/${enc(data.get('addon'))}/links`, { app: data.get('app') });
        refresh();
      }) : null,
      installed.length < catalog.types.length
        ? h('p', { class: 'hint' }, 'Types greyed out need their Debian package on the server.') : null,
    ],
  };
}
