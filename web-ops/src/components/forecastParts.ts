// Small pieces the forecast views share (the stock tables, the Forecast page): velocity and cover in words, and a
// sparkline of the velocities seen.

const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** Units a day: 1,277.3 · 0.42 · — (nothing sells). */
export const fmtVelocity = (v: number): string => (v <= 0 ? '—' : v >= 10 ? oneDecimal.format(v) : v.toFixed(2));

/** Days of cover: 0.36 d · 12.5 d · ∞ (nothing sells: null). */
export const fmtCover = (days: number | null): string =>
  days === null ? '∞' : `${days >= 10 ? oneDecimal.format(days) : days.toFixed(2)} d`;

const svgNs = 'http://www.w3.org/2000/svg';

/** A tiny inline line chart of `values` (oldest first), scaled to its own range; a dot marks the newest. */
export function sparkline(values: number[], title: string): SVGSVGElement {
  const w = 80, hgt = 22, pad = 2;
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('viewBox', `0 0 ${w} ${hgt}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `${title}: ${values.map((v) => fmtVelocity(v)).join(', ') || '—'}`);
  const t = document.createElementNS(svgNs, 'title');
  t.textContent = `${title}: ${values.map((v) => fmtVelocity(v)).join(' → ') || '—'}`;
  svg.appendChild(t);
  if (values.length === 0) return svg;
  const max = Math.max(...values), min = Math.min(...values, 0);
  const span = max - min || 1;
  // One value: a level line across, ending in its dot.
  const points = values.length === 1 ? [values[0], values[0]] : values;
  const x = (i: number) => pad + (i * (w - 2 * pad)) / (points.length - 1);
  const y = (v: number) => hgt - pad - ((v - min) * (hgt - 2 * pad)) / span;
  const line = document.createElementNS(svgNs, 'polyline');
  line.setAttribute('points', points.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' '));
  svg.appendChild(line);
  const dot = document.createElementNS(svgNs, 'circle');
  dot.setAttribute('cx', x(points.length - 1).toFixed(1));
  dot.setAttribute('cy', y(values[values.length - 1]).toFixed(1));
  dot.setAttribute('r', '2');
  svg.appendChild(dot);
  return svg;
}
