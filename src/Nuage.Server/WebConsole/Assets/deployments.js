// Deployments: the history, and one deployment with its stages and build output live (SSE) while it runs.
import { api, enc, follow } from './api.js';
import { appHeader } from './tabs.js';
import { badge, duration, h, render, time } from './ui.js';

/** Build output kept on the page; older lines are dropped (the log store keeps them all). */
const maxOutputLines = 5000;

export async function deploymentsPage(app) {
  const page = await api.get(`/v1/apps/${enc(app)}/deployments?limit=50`);
  return {
    content: [
      appHeader(app, 'Deployments', 'Deployments'),
      page.items.length === 0 ? h('p', { class: 'muted' }, 'No deployment yet: push with git or run "nuage deploy".') :
        h('table', { class: 'list', 'aria-label': 'Deployments' },
          h('thead', {}, h('tr', {}, ['Deployment', 'State', 'Kind', 'Commit', 'Started', 'Duration', 'Failed at'].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, page.items.map((d) => h('tr', {},
            h('th', { scope: 'row', 'data-label': 'Deployment' }, h('a', { href: `#/apps/${enc(app)}/deployments/${enc(d.id)}` }, d.id)),
            h('td', { 'data-label': 'State' }, badge(d.state)),
            h('td', { 'data-label': 'Kind' }, d.kind),
            h('td', { 'data-label': 'Commit', title: d.commitMessage || '' }, d.commitId ? d.commitId.slice(0, 10) : '—', d.commitMessage ? ` ${d.commitMessage.split('\n')[0]}` : ''),
            h('td', { 'data-label': 'Started' }, time(d.startedAt || d.createdAt)),
            h('td', { 'data-label': 'Duration' }, duration(d.durationMs)),
            h('td', { 'data-label': 'Failed at' }, d.failedStage || ''))))),
    ],
  };
}

export async function deploymentPage(app, id) {
  const path = `/v1/apps/${enc(app)}/deployments/${enc(id)}`;
  let deployment = await api.get(path);
  const state = h('span', { id: 'deployment-state' });
  const failure = h('div', { role: 'alert' });
  const stageRows = new Map();
  const stagesBody = h('tbody');
  const output = h('pre', { class: 'output', tabindex: 0, 'aria-label': 'Build output' });
  const live = h('span', { class: 'muted small' });
  let lines = 0;

  const showSummary = () => {
    render(state, badge(deployment.state));
    render(failure, deployment.state === 'failed'
      ? h('p', { class: 'error' }, `Failed at stage "${deployment.failedStage || '?'}": ${deployment.failureReason || 'no reason recorded'}`)
      : null);
    for (const stage of deployment.stages) stageRow(stage.name, stage.state, stage.durationMs, stage.detail);
  };

  const stageRow = (name, stageState, ms, detail) => {
    let row = stageRows.get(name);
    if (!row) {
      row = { state: h('td', { 'data-label': 'State' }), time: h('td', { 'data-label': 'Time' }), detail: h('td', { 'data-label': 'Detail' }) };
      stageRows.set(name, row);
      stagesBody.append(h('tr', { 'data-stage': name }, h('th', { scope: 'row', 'data-label': 'Stage' }, name), row.state, row.time, row.detail));
    }
    if (stageState) render(row.state, badge(stageState));
    if (ms !== undefined && ms !== null) render(row.time, duration(ms));
    if (detail) render(row.detail, detail);
  };

  const onEvent = (event) => {
    if (event.type === 'stage-started') stageRow(event.stage, 'running');
    else if (event.type === 'stage-finished') stageRow(event.stage, event.state, event.durationMs, event.message);
    else if (event.type === 'output') {
      const atBottom = output.scrollTop + output.clientHeight >= output.scrollHeight - 4;
      output.append(`${event.message}\n`);
      if (++lines > maxOutputLines) { output.firstChild?.remove(); lines--; }
      if (atBottom) output.scrollTop = output.scrollHeight;
    } else if (event.type === 'finished') {
      stop();
      api.get(path).then((d) => { deployment = d; showSummary(); render(live, ''); });
    }
  };

  showSummary();
  let stop = () => {};
  if (!['succeeded', 'failed', 'cancelled'].includes(deployment.state) || deployment.stages.some((s) => !s.finishedAt)) {
    stop = follow(`${path}/events`, onEvent, (s) => render(live, s === 'live' ? 'live' : s));
  } else {
    // Finished: replay its events once for the build output, if the server still has them.
    stop = follow(`${path}/events`, onEvent, (s) => { if (s !== 'live') stop(); });
  }

  return {
    content: [
      appHeader(app, 'Deployments', 'Deployment'),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Deployment'), h('dd', {}, deployment.id),
        h('dt', {}, 'State'), h('dd', {}, state, ' ', live),
        h('dt', {}, 'Kind'), h('dd', {}, deployment.kind),
        h('dt', {}, 'Commit'), h('dd', {}, deployment.commitId || '—', deployment.commitMessage ? ` — ${deployment.commitMessage}` : ''),
        h('dt', {}, 'Created'), h('dd', {}, time(deployment.createdAt))),
      failure,
      h('h2', {}, 'Stages'),
      h('table', { class: 'list stages', 'aria-label': 'Stages' },
        h('thead', {}, h('tr', {}, ['Stage', 'State', 'Time', 'Detail'].map((c) => h('th', { scope: 'col' }, c)))), stagesBody),
      h('h2', {}, 'Build output'),
      output,
    ],
    leave: () => stop(),
  };
}
