// App overview: status, URL, current release, instances, and the quick actions (each confirmed first).
import { api, can, enc } from './api.js';
import { appHeader } from './tabs.js';
import { badge, busy, bytes, confirmAction, h, notify, refresh, time } from './ui.js';

const flavors = ['pico', 'nano', 'XS', 'S', 'M', 'L', 'XL'];

export async function appPage(name) {
  const base = `/v1/apps/${enc(name)}`;
  const [app, instances, history] = await Promise.all([
    api.get(base), api.get(`${base}/instances`), api.get(`${base}/deployments?limit=20`)]);
  const current = history.items.find((d) => d.id === app.currentDeploymentId);

  return {
    content: [
      appHeader(app, 'Overview'),
      h('dl', { class: 'facts' },
        h('dt', {}, 'URL'), h('dd', {}, h('a', { href: app.url, target: '_blank', rel: 'noopener noreferrer' }, app.url)),
        h('dt', {}, 'Runtime'), h('dd', {}, app.runtime),
        h('dt', {}, 'Size'), h('dd', {}, `${app.flavor} × ${app.instances}`),
        h('dt', {}, 'Current release'), h('dd', {}, current
          ? h('a', { href: `#/apps/${enc(name)}/deployments/${enc(current.id)}` }, current.id, current.commitId ? ` (${current.commitId.slice(0, 10)})` : '', ' · ', time(current.finishedAt))
          : app.currentDeploymentId || 'none yet'),
        app.lastExitCode !== null && app.lastExitCode !== undefined ? [h('dt', {}, 'Last exit code'), h('dd', {}, app.lastExitCode)] : null),
      can('developer') ? actions(app, history.items) : null,
      h('h2', {}, 'Instances'),
      instances.length === 0 ? h('p', { class: 'muted' }, 'No instance is running.') : instanceTable(instances),
    ],
  };
}

function instanceTable(instances) {
  return h('table', { class: 'list', 'aria-label': 'Instances' },
    h('thead', {}, h('tr', {}, ['Instance', 'Kind', 'State', 'Up since', 'Restarts', 'CPU', 'Memory'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, instances.map((i) => h('tr', {},
      h('th', { scope: 'row', 'data-label': 'Instance' }, `#${i.number}`, h('span', { class: 'muted small' }, ` ${i.id}`)),
      h('td', { 'data-label': 'Kind' }, i.kind),
      h('td', { 'data-label': 'State' }, badge(i.status), i.exitCode !== null && i.exitCode !== undefined ? ` (exit ${i.exitCode})` : ''),
      h('td', { 'data-label': 'Up since' }, time(i.startedAt)),
      h('td', { 'data-label': 'Restarts' }, i.restarts),
      h('td', { 'data-label': 'CPU' }, i.cpuSeconds === null || i.cpuSeconds === undefined ? '—' : `${i.cpuSeconds.toFixed(1)} s`),
      h('td', { 'data-label': 'Memory' }, bytes(i.memoryBytes), i.memoryLimitBytes ? ` / ${bytes(i.memoryLimitBytes)}` : '')))));
}

function actions(app, deployments) {
  const base = `/v1/apps/${enc(app.name)}`;
  const run = (label, question, path, body) => {
    const button = h('button', { type: 'button', onclick: () => busy(button, async () => {
      if (!(await confirmAction(question, label))) return;
      const result = await api.post(path, body);
      const deployment = result?.deployment || (result?.state ? result : null);
      notify(result?.summary || `${label}: done.`);
      if (deployment) location.hash = `#/apps/${enc(app.name)}/deployments/${enc(deployment.id)}`;
      else refresh();
    }) }, label);
    return button;
  };

  const stopped = app.status === 'stopped';
  const retained = deployments.filter((d) => d.state === 'succeeded' && d.id !== app.currentDeploymentId);
  const rollbackTo = h('select', { id: 'rollback-to', name: 'rollback-to' }, retained.map((d) =>
    h('option', { value: d.id }, `${d.id}${d.commitId ? ` (${d.commitId.slice(0, 10)})` : ''} · ${new Date(d.createdAt).toLocaleString()}`)));
  const instances = h('input', { id: 'scale-instances', type: 'number', min: 0, max: 20, value: app.instances });
  const flavor = h('select', { id: 'scale-flavor' }, flavors.map((f) => h('option', { value: f, selected: f === app.flavor }, f)));
  const scale = h('button', { type: 'button', onclick: () => busy(scale, async () => {
    const body = { instances: Number(instances.value), flavor: flavor.value };
    if (!(await confirmAction(`Scale ${app.name} to ${body.flavor} × ${body.instances}?`, 'Scale'))) return;
    const result = await api.post(`${base}/scale`, body);
    notify(result.summary);
    if (result.deployment) location.hash = `#/apps/${enc(app.name)}/deployments/${enc(result.deployment.id)}`;
    else refresh();
  }) }, 'Scale');

  return h('section', { class: 'actions-panel', 'aria-label': 'Actions' },
    h('h2', {}, 'Actions'),
    h('div', { class: 'row' },
      stopped ? null : run('Restart', `Restart every instance of ${app.name}? New instances start before the old ones stop.`, `${base}/restart`),
      stopped
        ? run('Start', `Start ${app.name}?`, `${base}/start`)
        : run('Stop', `Stop ${app.name}? It will answer 503 until started again.`, `${base}/stop`)),
    h('div', { class: 'row' },
      h('label', { for: 'scale-instances' }, 'Instances'), instances,
      h('label', { for: 'scale-flavor' }, 'Flavor'), flavor, scale),
    retained.length === 0 ? h('p', { class: 'muted' }, 'No earlier release to roll back to.') : h('div', { class: 'row' },
      h('label', { for: 'rollback-to' }, 'Roll back to'), rollbackTo,
      h('button', { type: 'button', onclick: (event) => {
        const button = event.currentTarget;
        busy(button, async () => {
          if (!(await confirmAction(`Roll ${app.name} back to release ${rollbackTo.value}? No rebuild: its instances start from the kept release.`, 'Roll back'))) return;
          const deployment = await api.post(`${base}/rollback`, { deploymentId: rollbackTo.value });
          notify(`Rolling back to ${rollbackTo.value}…`);
          location.hash = `#/apps/${enc(app.name)}/deployments/${enc(deployment.id)}`;
        });
      } }, 'Roll back')),
    h('p', { class: 'muted small' }, 'Restart, start, scale and rollback are deployments of a kept release: the old instances serve until the new ones are healthy.'));
}
