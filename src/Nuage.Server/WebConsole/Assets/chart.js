// A small SVG line chart: one or more series of [time, value] over a fixed window, with a labelled y axis.
// Written for the console (no library): the charts need lines, an axis and a legend, nothing more.
const svgNs = 'http://www.w3.org/2000/svg';
const width = 600;
const height = 160;
const pad = { left: 56, right: 8, top: 8, bottom: 20 };

function el(tag, attrs) {
  const node = document.createElementNS(svgNs, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/**
 * Draws `series` ([{ name, points: [[ms, value]…] }]) into `svg`, the last `windowMs` up to now.
 * `format` writes a value as the axis shows it.
 */
export function drawChart(svg, series, windowMs, format) {
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.replaceChildren();
  const now = Date.now();
  const from = now - windowMs;
  const values = series.flatMap((s) => s.points.filter(([t]) => t >= from).map(([, v]) => v));
  const max = Math.max(...values, 0) * 1.1 || 1;
  const x = (t) => pad.left + ((t - from) / windowMs) * (width - pad.left - pad.right);
  const y = (v) => height - pad.bottom - (v / max) * (height - pad.top - pad.bottom);

  for (const fraction of [0, 0.5, 1]) {
    const v = max * fraction;
    svg.append(el('line', { x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v), class: 'grid' }));
    const label = el('text', { x: pad.left - 4, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' });
    label.textContent = format(v);
    svg.append(label);
  }
  const minutes = Math.round(windowMs / 60000);
  const start = el('text', { x: pad.left, y: height - 4, class: 'axis' });
  start.textContent = `${minutes} min ago`;
  const end = el('text', { x: width - pad.right, y: height - 4, 'text-anchor': 'end', class: 'axis' });
  end.textContent = 'now';
  svg.append(start, end);

  series.forEach((s, i) => {
    const points = s.points.filter(([t]) => t >= from);
    if (points.length === 0) return;
    svg.append(el('polyline', { points: points.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' '), class: `line c${i % 6}` }));
    const [lastT, lastV] = points[points.length - 1];
    svg.append(el('circle', { cx: x(lastT).toFixed(1), cy: y(lastV).toFixed(1), r: 3, class: `dot c${i % 6}` }));
  });
}

/** A legend for the same series, as text (the colours match the lines). */
export function legend(series, format) {
  const list = document.createElement('ul');
  list.className = 'legend';
  series.forEach((s, i) => {
    const item = document.createElement('li');
    item.className = `c${i % 6}`;
    const last = s.points[s.points.length - 1];
    item.textContent = `${s.name}: ${last ? format(last[1]) : '—'}`;
    list.append(item);
  });
  return list;
}
