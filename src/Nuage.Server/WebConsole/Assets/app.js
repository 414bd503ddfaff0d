// The console's entry point: session, navigation and the page registry.
import { api, can, loadSession, session, signIn, signOut } from './api.js';
import { h, notify, problemText, render } from './ui.js';
import { appsPage } from './apps.js';
import { appPage } from './app-overview.js';
import { deploymentsPage, deploymentPage } from './deployments.js';
import { logsPage } from './logs.js';
import { variablesPage } from './variables.js';
import { metricsPage } from './metrics.js';
import { domainsPage, drainsPage, tokensPage } from './admin.js';
import { addonsPage } from './addons.js';
import { orgsPage, membersPage } from './orgs.js';

/** Pages, matched in order against the hash (#/apps/demo/logs). A new page is a route here and a link below or a tab. */
const routes = [
  [/^\/apps$/, () => appsPage()],
  [/^\/apps\/([^/]+)$/, (app) => appPage(app)],
  [/^\/apps\/([^/]+)\/deployments$/, (app) => deploymentsPage(app)],
  [/^\/apps\/([^/]+)\/deployments\/([^/]+)$/, (app, id) => deploymentPage(app, id)],
  [/^\/apps\/([^/]+)\/logs$/, (app) => logsPage(app)],
  [/^\/apps\/([^/]+)\/variables$/, (app) => variablesPage(app)],
  [/^\/apps\/([^/]+)\/metrics$/, (app) => metricsPage(app)],
  [/^\/apps\/([^/]+)\/domains$/, (app) => domainsPage(app)],
  [/^\/apps\/([^/]+)\/drains$/, (app) => drainsPage(app)],
  [/^\/tokens$/, () => tokensPage()],
  [/^\/addons$/, () => addonsPage()],
  [/^\/orgs$/, () => orgsPage()],
  [/^\/orgs\/([^/]+)$/, (org) => membersPage(org)],
];

/** Top navigation: [label, hash, minimum role]. */
export const topLinks = [
  ['Apps', '#/apps', 'viewer'],
  ['Add-ons', '#/addons', 'viewer'],
  ['Organisation', '#/orgs', 'viewer'],
  ['Tokens', '#/tokens', 'admin'],
];

let leave = null;

async function show() {
  leave?.();
  leave = null;
  const main = document.getElementById('main');
  const path = decodeURIComponent(location.hash.replace(/^#/, '')) || '/apps';
  renderChrome(path);
  for (const [pattern, page] of routes) {
    const match = path.match(pattern);
    if (!match) continue;
    render(main, h('p', { class: 'muted' }, 'Loading…'));
    try {
      // A page returns its content, and optionally a function that stops its live streams when the user leaves.
      const result = await page(...match.slice(1));
      render(main, result.content);
      leave = result.leave || null;
      const heading = main.querySelector('h1');
      if (heading) document.title = `${heading.textContent} · Nuage`;
    } catch (e) {
      render(main, h('h1', {}, 'Something went wrong'), h('p', { class: 'error' }, problemText(e)));
    }
    return;
  }
  render(main, h('h1', {}, 'Not found'), h('p', {}, 'No console page here. ', h('a', { href: '#/apps' }, 'Back to apps')));
}

function renderChrome(path) {
  render(document.getElementById('nav'), topLinks.filter(([, , role]) => can(role)).map(([label, href]) =>
    h('a', { href, 'aria-current': path.startsWith(href.slice(1)) ? 'page' : null }, label)));
  render(document.getElementById('who'),
    h('span', { title: session.tokenId }, `${session.description} (${session.operator ? 'operator' : `${session.role} in ${session.org}`})`),
    h('button', { type: 'button', onclick: onSignOut }, 'Sign out'));
}

async function onSignOut() {
  try {
    await signOut();
  } finally {
    showSignIn();
  }
}

function showSignIn(message) {
  leave?.();
  leave = null;
  render(document.getElementById('nav'));
  render(document.getElementById('who'));
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false' });
  const error = h('p', { class: 'error', role: 'alert' }, message || '');
  const form = h('form', { class: 'signin', onsubmit: async (event) => {
    event.preventDefault();
    try {
      await signIn(input.value);
      input.value = '';
      notify(`Signed in as ${session.description}.`);
      if (!location.hash) location.hash = '#/apps';
      await show();
    } catch (e) {
      error.textContent = problemText(e);
      input.focus();
    }
  } },
  h('h1', {}, 'Sign in to Nuage'),
  h('label', { for: 'token' }, 'API token'),
  input,
  h('p', { class: 'hint' }, 'Paste a token once: the server keeps it and gives this browser a session cookie (it is not stored in the page). ',
    'The first admin token is in the data directory\'s admin-token file; "nuage tokens create --role viewer" makes others.'),
  h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
  error);
  render(document.getElementById('main'), form);
  document.title = 'Sign in · Nuage';
  input.focus();
  showProviders(form);
}

/** "Sign in with …" links for the server's OpenID Connect issuers (plain links: the server redirects to the issuer). */
async function showProviders(form) {
  let providers = [];
  try {
    providers = await api.get('/console/oidc/providers');
  } catch {
    return; // token sign-in still works
  }
  const back = location.hash.startsWith('#/') ? `&return=${encodeURIComponent('/' + location.hash)}` : '';
  const links = providers.filter((p) => p.browser).map((p) =>
    h('a', { class: 'button provider', href: `/console/oidc/start?issuer=${encodeURIComponent(p.issuer)}${back}` }, `Sign in with ${p.name}`));
  if (links.length) form.append(h('div', { class: 'providers' }, h('p', { class: 'hint' }, 'Or use your organisation\'s account:'), ...links));
}

window.addEventListener('hashchange', show);
window.addEventListener('nuage:signed-out', () => showSignIn('Your session ended; sign in again.'));

(async () => {
  if (await loadSession()) await show();
  else showSignIn();
})();
