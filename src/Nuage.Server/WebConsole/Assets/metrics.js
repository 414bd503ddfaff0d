// Metrics: requests/s, 5xx/s, p50/p99 latency and CPU/memory per instance over the last hour, from
// /v1/metrics/history (the server samples its /metrics counters every few seconds and keeps an hour in memory).
// The page polls it at the same pace, so the charts move on their own.
import { api, enc } from './api.js';
import { appHeader } from './tabs.js';
import { bytes, h, render } from './ui.js';
import { drawChart, legend } from './chart.js';

const windowMs = 60 * 60 * 1000;

/** Turns cumulative samples into the series the charts draw (rates from consecutive points). */
function toSeries(points) {
  const s = { requests: [], errors: [], p50: [], p99: [], cpu: new Map(), memory: new Map() };
  const series = (map, key) => { if (!map.has(key)) map.set(key, []); return map.get(key); };
  points.forEach((p, i) => {
    const t = new Date(p.time).getTime();
    s.p50.push([t, (p.p50Seconds ?? 0) * 1000]);
    s.p99.push([t, (p.p99Seconds ?? 0) * 1000]);
    for (const instance of p.instances) series(s.memory, instance.instance).push([t, instance.memoryBytes]);
    if (i === 0) return;
    const before = points[i - 1];
    const seconds = (t - new Date(before.time).getTime()) / 1000;
    if (seconds <= 0) return;
    // A counter that went down was reset (server restart): that interval has no rate.
    if (p.requests >= before.requests) s.requests.push([t, (p.requests - before.requests) / seconds]);
    if (p.errors5xx >= before.errors5xx) s.errors.push([t, (p.errors5xx - before.errors5xx) / seconds]);
    for (const instance of p.instances) {
      const previous = before.instances.find((x) => x.instance === instance.instance);
      if (previous && instance.cpuSeconds >= previous.cpuSeconds) {
        series(s.cpu, instance.instance).push([t, ((instance.cpuSeconds - previous.cpuSeconds) / seconds) * 100]);
      }
    }
  });
  return s;
}

export async function metricsPage(app) {
  let history = await api.get(`/v1/metrics/history?app=${enc(app)}`);
  let s = toSeries(history.points);
  const charts = [
    ['Requests per second', () => [{ name: 'requests/s', points: s.requests }], (v) => v.toFixed(1)],
    ['5xx per second', () => [{ name: '5xx/s', points: s.errors }], (v) => v.toFixed(2)],
    ['Latency (router histogram since the server started)', () => [{ name: 'p50', points: s.p50 }, { name: 'p99', points: s.p99 }], (v) => `${v.toFixed(0)} ms`],
    ['CPU per instance', () => [...s.cpu].map(([name, points]) => ({ name, points })), (v) => `${v < 10 ? v.toFixed(1) : v.toFixed(0)} %`],
    ['Memory per instance', () => [...s.memory].map(([name, points]) => ({ name, points })), bytes],
  ].map(([title, series, format]) => {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', title);
    const key = h('div');
    const draw = () => { const data = series(); drawChart(svg, data, windowMs, format); render(key, legend(data, format)); };
    return { figure: h('figure', { class: 'chart' }, h('figcaption', {}, title), svg, key), draw };
  });
  const drawAll = () => charts.forEach((c) => c.draw());
  drawAll();
  const timer = setInterval(async () => {
    try {
      history = await api.get(`/v1/metrics/history?app=${enc(app)}`);
      s = toSeries(history.points);
      drawAll();
    } catch {
      // A missed refresh is retried at the next tick.
    }
  }, history.intervalSeconds * 1000);

  return {
    content: [
      appHeader(app, 'Metrics', 'Metrics'),
      h('p', { class: 'muted small' }, `The last hour, sampled by the server every ${history.intervalSeconds} s (kept in memory; Prometheus can scrape /metrics for longer history).`),
      h('div', { class: 'charts' }, charts.map((c) => c.figure)),
    ],
    leave: () => clearInterval(timer),
  };
}
