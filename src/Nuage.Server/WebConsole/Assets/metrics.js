// Metrics: requests/s, 5xx/s, p50/p99 latency and CPU/memory per instance, sampled from /v1/metrics/summary every
// few seconds. The server exports counters (and /metrics for Prometheus), not history: the console keeps up to an
// hour of samples in memory per app from the first time its metrics page is opened in this tab.
import { api, enc } from './api.js';
import { appHeader } from './tabs.js';
import { bytes, h, render } from './ui.js';
import { drawChart, legend } from './chart.js';

const intervalMs = 5000;
const windowMs = 60 * 60 * 1000;
const samplers = new Map();

function sampler(app) {
  if (samplers.has(app)) return samplers.get(app);
  const state = { previous: null, series: { requests: [], errors: [], p50: [], p99: [], cpu: new Map(), memory: new Map() }, listeners: new Set() };
  const push = (list, t, v) => { list.push([t, v]); while (list.length && list[0][0] < t - windowMs) list.shift(); };
  const tick = async () => {
    try {
      const summary = await api.get(`/v1/metrics/summary?app=${enc(app)}`);
      const m = summary.apps.find((a) => a.app === app);
      const t = Date.now();
      if (m) {
        const p = state.previous;
        if (p) {
          const seconds = (t - p.t) / 1000;
          push(state.series.requests, t, Math.max(m.requests - p.m.requests, 0) / seconds);
          push(state.series.errors, t, Math.max(m.errors5xx - p.m.errors5xx, 0) / seconds);
          for (const i of m.instances) {
            const before = p.m.instances.find((x) => x.instance === i.instance);
            if (!state.series.cpu.has(i.instance)) state.series.cpu.set(i.instance, []);
            if (before) push(state.series.cpu.get(i.instance), t, Math.max(i.cpuSeconds - before.cpuSeconds, 0) / seconds * 100);
          }
        }
        push(state.series.p50, t, (m.p50Seconds ?? 0) * 1000);
        push(state.series.p99, t, (m.p99Seconds ?? 0) * 1000);
        for (const i of m.instances) {
          if (!state.series.memory.has(i.instance)) state.series.memory.set(i.instance, []);
          push(state.series.memory.get(i.instance), t, i.memoryBytes);
        }
        state.previous = { t, m };
      }
      state.listeners.forEach((l) => l());
    } catch {
      // A failed sample leaves a gap; the next one continues.
    }
  };
  tick();
  state.timer = setInterval(tick, intervalMs);
  samplers.set(app, state);
  return state;
}

export async function metricsPage(app) {
  const state = sampler(app);
  const charts = [
    ['Requests per second', () => [{ name: 'requests/s', points: state.series.requests }], (v) => v.toFixed(1)],
    ['5xx per second', () => [{ name: '5xx/s', points: state.series.errors }], (v) => v.toFixed(2)],
    ['Latency (since the server started)', () => [{ name: 'p50', points: state.series.p50 }, { name: 'p99', points: state.series.p99 }], (v) => `${v.toFixed(0)} ms`],
    ['CPU per instance', () => [...state.series.cpu].map(([name, points]) => ({ name, points })), (v) => `${v.toFixed(0)} %`],
    ['Memory per instance', () => [...state.series.memory].map(([name, points]) => ({ name, points })), bytes],
  ].map(([title, series, format]) => {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', title);
    const key = h('div');
    const draw = () => { const s = series(); drawChart(svg, s, windowMs, format); render(key, legend(s, format)); };
    return { figure: h('figure', { class: 'chart' }, h('figcaption', {}, title), svg, key), draw };
  });
  const drawAll = () => charts.forEach((c) => c.draw());
  state.listeners.add(drawAll);
  drawAll();
  return {
    content: [
      appHeader(app, 'Metrics', 'Metrics'),
      h('p', { class: 'muted small' }, `Sampled every ${intervalMs / 1000} s while the console is open (up to the last hour). Prometheus can scrape /metrics for long-term history.`),
      h('div', { class: 'charts' }, charts.map((c) => c.figure)),
    ],
    leave: () => state.listeners.delete(drawAll),
  };
}
