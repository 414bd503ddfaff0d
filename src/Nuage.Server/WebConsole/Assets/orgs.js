// Organisations: a member sees their own organisation and its members (managers and admins change them); the
// platform operator sees every organisation.
import { api, can, enc, session } from './api.js';
import { confirmButton, h, inlineForm, refresh, showError, time } from './ui.js';

const roles = ['viewer', 'accountant', 'developer', 'manager', 'admin'];

export async function orgsPage() {
  if (!session.operator && session.org) return membersPage(session.org);
  const orgs = await api.get('/v1/orgs');
  return {
    content: [
      h('h1', {}, 'Organisations'),
      h('table', { class: 'list', 'aria-label': 'Organisations' },
        h('thead', {}, h('tr', {}, ['Organisation', 'Created'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, orgs.map((o) => h('tr', {},
          h('th', { scope: 'row', 'data-label': 'Organisation' }, h('a', { href: `#/orgs/${enc(o.name)}` }, o.name)),
          h('td', { 'data-label': 'Created' }, time(o.createdAt)))))),
      inlineForm('Create an organisation', [
        h('label', {}, 'Organisation name', h('input', { name: 'name', required: true, autocomplete: 'off' })),
      ], 'Create', async (data) => {
        await api.post('/v1/orgs', { name: data.get('name') });
        refresh();
      }),
    ],
  };
}

export async function membersPage(org) {
  const base = `/v1/orgs/${enc(org)}/members`;
  const members = await api.get(base);
  const manage = can('manager');
  return {
    content: [
      h('h1', {}, `Members · ${org}`),
      h('table', { class: 'list', 'aria-label': 'Members' },
        h('thead', {}, h('tr', {}, ['Member', 'Role', 'Added', ''].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, members.map((m) => h('tr', {},
          h('th', { scope: 'row', 'data-label': 'Member' }, m.email),
          h('td', { 'data-label': 'Role' }, manage
            ? h('select', { 'aria-label': `Role of ${m.email}`, onchange: async (event) => {
              const select = event.target;
              try {
                await api.put(`${base}/${enc(m.email)}`, { role: select.value });
              } catch (e) {
                showError(e);
              } finally {
                refresh();
              }
            } }, roles.map((r) => h('option', { value: r, selected: r === m.role }, r)))
            : m.role),
          h('td', { 'data-label': 'Added' }, time(m.addedAt)),
          h('td', {}, manage ? confirmButton('Remove', `Remove ${m.email} from ${org}? Their tokens stop working at once.`, () => api.del(`${base}/${enc(m.email)}`)) : null))))),
      manage ? inlineForm('Add a member', [
        h('label', {}, 'Email', h('input', { name: 'email', type: 'email', required: true, autocomplete: 'off' })),
        h('label', {}, 'Role', h('select', { name: 'role' }, roles.map((r) => h('option', { value: r, selected: r === 'developer' }, r)))),
      ], 'Add', async (data) => {
        await api.post(base, { email: data.get('email'), role: data.get('role') });
        refresh();
      }) : null,
    ],
  };
}
