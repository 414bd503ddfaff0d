// Domains and drains of an app, and the API tokens (admin).
import { api, can, enc } from './api.js';
import { appHeader } from './tabs.js';
import { badge, confirmButton, h, inlineForm, refresh, render, time } from './ui.js';

export async function domainsPage(app) {
  const base = `/v1/apps/${enc(app)}/domains`;
  const domains = await api.get(base);
  return {
    content: [
      appHeader(app, 'Domains', 'Domains'),
      domains.length === 0 ? h('p', { class: 'muted' }, 'No custom domain: the app answers at its default URL.') :
        h('table', { class: 'list', 'aria-label': 'Domains' },
          h('thead', {}, h('tr', {}, ['Domain', 'HTTPS', 'Certificate', 'Expires', ''].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, domains.map((d) => h('tr', {},
            h('th', { scope: 'row', 'data-label': 'Domain' }, d.domain),
            h('td', { 'data-label': 'HTTPS' }, d.https ? 'yes' : 'no'),
            h('td', { 'data-label': 'Certificate' }, d.certificateSubject || '—'),
            h('td', { 'data-label': 'Expires' }, d.certificateNotAfter ? new Date(d.certificateNotAfter).toLocaleDateString() : '—'),
            h('td', {}, can('developer') ? confirmButton('Remove', `Remove ${d.domain} from ${app}?`, () => api.del(`${base}/${enc(d.domain)}`)) : null))))),
      can('developer') ? inlineForm('Add a domain', [
        h('label', {}, 'Domain', h('input', { name: 'domain', required: true, autocomplete: 'off' })),
        h('label', {}, 'Certificate (PEM, for HTTPS)', h('textarea', { name: 'certificate', rows: 3 })),
        h('label', {}, 'Private key (PEM)', h('textarea', { name: 'key', rows: 3 })),
      ], 'Add', async (data) => {
        await api.post(base, { domain: data.get('domain'), certificate: data.get('certificate') || null, key: data.get('key') || null });
        refresh();
      }) : null,
    ],
  };
}

export async function drainsPage(app) {
  const base = `/v1/apps/${enc(app)}/drains`;
  const drains = await api.get(base);
  const types = ['syslog-udp', 'syslog-tcp', 'syslog-tls', 'http', 'elasticsearch', 'otlp'];
  return {
    content: [
      appHeader(app, 'Drains', 'Drains'),
      drains.length === 0 ? h('p', { class: 'muted' }, 'No drain: logs stay in the server\'s store.') :
        h('table', { class: 'list', 'aria-label': 'Drains' },
          h('thead', {}, h('tr', {}, ['Drain', 'Type', 'URL', 'State', 'Delivered', 'Lag (lines)', 'Last delivery', 'Last error', ''].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, drains.map((d) => h('tr', {},
            h('th', { scope: 'row', 'data-label': 'Drain' }, d.id),
            h('td', { 'data-label': 'Type' }, d.type),
            h('td', { 'data-label': 'URL' }, d.url),
            h('td', { 'data-label': 'State' }, badge(d.state)),
            h('td', { 'data-label': 'Delivered' }, d.delivered),
            h('td', { 'data-label': 'Lag (lines)' }, d.backlog),
            h('td', { 'data-label': 'Last delivery' }, time(d.lastDeliveryAt)),
            h('td', { 'data-label': 'Last error' }, d.lastError ? `${d.lastError} (${new Date(d.lastErrorAt).toLocaleString()})` : '—'),
            h('td', {}, can('developer') ? [
              confirmButton(d.enabled ? 'Disable' : 'Enable', `${d.enabled ? 'Disable' : 'Enable'} drain ${d.id}?`, () => api.post(`${base}/${enc(d.id)}/${d.enabled ? 'disable' : 'enable'}`)),
              ' ',
              confirmButton('Delete', `Delete drain ${d.id}? Lines not yet delivered will not be sent.`, () => api.del(`${base}/${enc(d.id)}`)),
            ] : null))))),
      can('developer') ? inlineForm('Add a drain', [
        h('label', {}, 'Type', h('select', { name: 'type' }, types.map((t) => h('option', { value: t }, t)))),
        h('label', {}, 'URL', h('input', { name: 'url', required: true, autocomplete: 'off' })),
      ], 'Add', async (data) => {
        await api.post(base, { type: data.get('type'), url: data.get('url') });
        refresh();
      }) : null,
    ],
  };
}

export async function tokensPage() {
  if (!can('admin')) return { content: [h('h1', {}, 'Tokens'), h('p', {}, 'Managing tokens needs the admin role.')] };
  const tokens = await api.get('/v1/tokens');
  const created = h('div', { 'aria-live': 'polite' });
  return {
    content: [
      h('h1', {}, 'Tokens'),
      inlineForm('Create a token', [
        h('label', {}, 'Role', h('select', { name: 'role' }, ['viewer', 'developer', 'admin'].map((r) => h('option', { value: r }, r)))),
        h('label', {}, 'Description', h('input', { name: 'description', required: true, autocomplete: 'off' })),
      ], 'Create', async (data) => {
        const result = await api.post('/v1/tokens', { role: data.get('role'), description: data.get('description') });
        render(created, h('div', { class: 'saved' },
          h('p', {}, `Token ${result.token.id} created. Copy its secret now: it is shown only once.`),
          h('input', { readonly: true, value: result.secret, 'aria-label': 'New token secret', class: 'secret' })));
      }),
      created,
      h('table', { class: 'list', 'aria-label': 'Tokens' },
        h('thead', {}, h('tr', {}, ['Token', 'Role', 'Description', 'Created', 'Expires', 'State', ''].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, tokens.map((t) => h('tr', {},
          h('th', { scope: 'row', 'data-label': 'Token' }, t.id),
          h('td', { 'data-label': 'Role' }, t.role),
          h('td', { 'data-label': 'Description' }, t.description),
          h('td', { 'data-label': 'Created' }, time(t.createdAt)),
          h('td', { 'data-label': 'Expires' }, t.expiresAt ? new Date(t.expiresAt).toLocaleString() : 'never'),
          h('td', { 'data-label': 'State' }, t.revokedAt ? badge('revoked') : badge('active')),
          h('td', {}, t.revokedAt ? null : confirmButton('Revoke', `Revoke token ${t.id} (${t.description})? Clients using it stop working at once.`, () => api.del(`/v1/tokens/${enc(t.id)}`))))))),
    ],
  };
}
