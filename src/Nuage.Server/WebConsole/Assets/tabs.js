// The header every app page shares: name, status, and the tabs of the app's pages.
import { enc } from './api.js';
import { badge, h } from './ui.js';

/** [label, sub-path]. Add-on pages (databases attached to the app) get a tab here when add-ons land. */
export const appTabs = [
  ['Overview', ''],
  ['Deployments', '/deployments'],
  ['Logs', '/logs'],
  ['Variables', '/variables'],
  ['Metrics', '/metrics'],
  ['Domains', '/domains'],
  ['Drains', '/drains'],
];

export function appHeader(app, active, title) {
  const name = typeof app === 'string' ? app : app.name;
  return h('div', { class: 'app-header' },
    h('p', { class: 'crumbs' }, h('a', { href: '#/apps' }, 'Apps'), ' / ', name),
    h('h1', {}, title ? `${title} · ${name}` : name, typeof app === 'string' ? null : [' ', badge(app.status)]),
    h('nav', { class: 'tabs', 'aria-label': `${name} pages` }, appTabs.map(([label, sub]) =>
      h('a', { href: `#/apps/${enc(name)}${sub}`, 'aria-current': label === active ? 'page' : null }, label))));
}
