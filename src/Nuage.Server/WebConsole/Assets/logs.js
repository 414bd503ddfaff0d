// Logs: live tail over SSE with filters (source, instance, search, time range). Lines arrive into a queue and are
// drawn once per animation frame; the page keeps at most `maxLines` rows, so a flood (10,000 lines/s) only costs
// the newest screenful and the browser stays responsive. The log store keeps everything.
import { enc, follow } from './api.js';
import { appHeader } from './tabs.js';
import { h, render } from './ui.js';

const maxLines = 2000;

export async function logsPage(app) {
  const list = h('ol', { class: 'log-lines', 'aria-label': 'Log lines', tabindex: 0 });
  const status = h('span', { class: 'muted small', 'aria-live': 'polite' });
  const counter = h('span', { class: 'muted small' });
  const source = h('select', { id: 'log-source', name: 'source' },
    [['', 'all sources'], ['app', 'app'], ['build', 'build'], ['access', 'access'], ['platform', 'platform']].map(([v, l]) => h('option', { value: v }, l)));
  const instance = h('input', { id: 'log-instance', name: 'instance', placeholder: 'any', size: 8, autocomplete: 'off' });
  const search = h('input', { id: 'log-search', name: 'search', type: 'search', placeholder: 'text to find', autocomplete: 'off' });
  const since = h('select', { id: 'log-since', name: 'since' },
    [['5m', 'last 5 minutes'], ['1h', 'last hour'], ['1d', 'last day'], ['7d', 'last 7 days']].map(([v, l]) => h('option', { value: v, selected: v === '1h' }, l)));
  const followBox = h('input', { id: 'log-follow', type: 'checkbox', checked: true });

  let queue = [];
  let frame = 0;
  let received = 0;
  let stop = () => {};

  const draw = () => {
    frame = 0;
    const batch = queue.length > maxLines ? queue.slice(-maxLines) : queue;
    queue = [];
    const fragment = document.createDocumentFragment();
    for (const line of batch) {
      fragment.append(h('li', { class: `src-${line.source}${line.stream === 'stderr' ? ' stderr' : ''}` },
        h('time', { datetime: line.time }, new Date(line.time).toLocaleTimeString()), ' ',
        h('span', { class: 'src' }, line.instance ? `${line.source}/${line.instance}` : line.source), ' ',
        h('span', { class: 'msg' }, line.message)));
    }
    list.append(fragment);
    let excess = list.childElementCount - maxLines;
    while (excess-- > 0) list.firstElementChild.remove();
    render(counter, `${received} lines received, ${list.childElementCount} shown`);
    if (followBox.checked) list.scrollTop = list.scrollHeight;
  };

  const start = () => {
    stop();
    list.replaceChildren();
    queue = [];
    received = 0;
    const query = new URLSearchParams({ since: since.value, limit: '500' });
    if (source.value) query.set('source', source.value);
    if (instance.value.trim()) query.set('instance', instance.value.trim());
    if (search.value.trim()) query.set('search', search.value.trim());
    stop = follow(`/v1/apps/${enc(app)}/logs/stream?${query}`, (line) => {
      received++;
      queue.push(line);
      if (queue.length > maxLines * 2) queue = queue.slice(-maxLines);
      if (!frame) frame = requestAnimationFrame(draw);
    }, (s) => render(status, s === 'live' ? '● live' : s));
  };

  let typing = 0;
  const restartSoon = () => { clearTimeout(typing); typing = setTimeout(start, 300); };
  source.addEventListener('change', start);
  since.addEventListener('change', start);
  instance.addEventListener('input', restartSoon);
  search.addEventListener('input', restartSoon);
  start();

  return {
    content: [
      appHeader(app, 'Logs', 'Logs'),
      h('form', { class: 'filters', 'aria-label': 'Log filters', onsubmit: (e) => { e.preventDefault(); start(); } },
        h('label', { for: 'log-source' }, 'Source'), source,
        h('label', { for: 'log-instance' }, 'Instance'), instance,
        h('label', { for: 'log-search' }, 'Search'), search,
        h('label', { for: 'log-since' }, 'From'), since,
        h('label', { class: 'check' }, followBox, ' Follow'),
        status, counter),
      list,
    ],
    leave: () => { stop(); if (frame) cancelAnimationFrame(frame); },
  };
}
