/**
 * A small SVG line chart, drawn as a string with no DOM and no library, so that the report is
 * one self-contained file that any browser opens offline.
 */
import { escapeMarkup } from '../util/escape-markup.js';
import { linearScale, niceTicks } from './scale.js';

/** One line of a chart: its name (in the legend) and its points. */
export interface ChartSeries {
  name: string;
  /** `[x, y]` pairs in order of x; points with a value that is not finite are left out. */
  points: readonly (readonly [number, number])[];
  /** A CSS colour; by default one of PALETTE by position. */
  color?: string;
}

/** What renderLineChart draws. */
export interface LineChartArgs {
  title: string;
  series: readonly ChartSeries[];
  xLabel?: string;
  yLabel?: string;
  /** A vertical line at `x` with a label (the best epoch). */
  marker?: { x: number; label: string };
  /** Whole-number x ticks (epochs). Default true. */
  integerX?: boolean;
  /** Digits after the point in y tick labels and point tooltips. Default 2. */
  digits?: number;
  width?: number;
  height?: number;
}

/** Colours that stay apart for people with the common colour-vision deficiencies (Okabe-Ito). */
export const PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9'];

const MARGIN = { top: 34, right: 16, bottom: 44, left: 58 };

const fmt = (n: number) => String(Number(n.toFixed(2)));

/**
 * The chart as an `<svg>` element: axes with round ticks, one `<path class="series">` per
 * series (with a dot and a tooltip per point), a legend, and the marker line when given.
 * Every text is escaped.
 *
 * @example
 * renderLineChart({ title: 'Loss', series: [{ name: 'loss', points: [[1, 0.9], [2, 0.4]] }] });
 */
export function renderLineChart(args: LineChartArgs): string {
  const width = args.width ?? 560;
  const height = args.height ?? 300;
  const digits = args.digits ?? 2;
  const series = args.series.map((s, i) => ({
    ...s,
    color: s.color ?? PALETTE[i % PALETTE.length],
    points: s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)),
  }));
  const xs = series.flatMap((s) => s.points.map(([x]) => x)).concat(args.marker ? [args.marker.x] : []);
  const ys = series.flatMap((s) => s.points.map(([, y]) => y));
  const xTicks = xs.length > 0 ? niceTicks(Math.min(...xs), Math.max(...xs), 8, args.integerX ?? true) : [0, 1];
  const yTicks = ys.length > 0 ? niceTicks(Math.min(...ys), Math.max(...ys), 5) : [0, 1];
  const left = MARGIN.left;
  const right = width - MARGIN.right;
  const top = MARGIN.top;
  const bottom = height - MARGIN.bottom;
  const x = linearScale([xTicks[0], xTicks[xTicks.length - 1]], [left, right]);
  const y = linearScale([yTicks[0], yTicks[yTicks.length - 1]], [bottom, top]);

  const parts: string[] = [];
  parts.push(`<text class="chart-title" x="${left}" y="20">${escapeMarkup(args.title)}</text>`);
  // Grid and ticks.
  for (const t of yTicks) {
    parts.push(`<line class="grid" x1="${left}" x2="${right}" y1="${fmt(y(t))}" y2="${fmt(y(t))}"/>`);
    parts.push(`<text class="tick" x="${left - 6}" y="${fmt(y(t) + 4)}" text-anchor="end">${escapeMarkup(tickLabel(t, yTicks))}</text>`);
  }
  for (const t of xTicks) {
    parts.push(`<line class="axis" x1="${fmt(x(t))}" x2="${fmt(x(t))}" y1="${bottom}" y2="${bottom + 5}"/>`);
    parts.push(`<text class="tick" x="${fmt(x(t))}" y="${bottom + 18}" text-anchor="middle">${escapeMarkup(tickLabel(t, xTicks))}</text>`);
  }
  parts.push(`<line class="axis" x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}"/>`);
  parts.push(`<line class="axis" x1="${left}" x2="${left}" y1="${top}" y2="${bottom}"/>`);
  if (args.xLabel) parts.push(`<text class="axis-label" x="${(left + right) / 2}" y="${height - 6}" text-anchor="middle">${escapeMarkup(args.xLabel)}</text>`);
  if (args.yLabel) {
    parts.push(`<text class="axis-label" transform="translate(14 ${(top + bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeMarkup(args.yLabel)}</text>`);
  }
  if (args.marker) {
    const mx = fmt(x(args.marker.x));
    // The label reads away from the plot's nearer edge, so it stays inside the chart.
    const toLeft = x(args.marker.x) > left + 0.7 * (right - left);
    const lxm = fmt(x(args.marker.x) + (toLeft ? -5 : 5));
    parts.push(
      `<g class="best-marker" data-x="${escapeMarkup(String(args.marker.x))}">` +
        `<line x1="${mx}" x2="${mx}" y1="${top}" y2="${bottom}"/>` +
        `<text x="${lxm}" y="${top + 12}" text-anchor="${toLeft ? 'end' : 'start'}">${escapeMarkup(args.marker.label)}</text></g>`,
    );
  }
  for (const s of series) {
    const name = escapeMarkup(s.name);
    const d = s.points.map(([px, py], i) => `${i === 0 ? 'M' : 'L'}${fmt(x(px))},${fmt(y(py))}`).join(' ');
    const dots = s.points
      .map(([px, py]) => `<circle cx="${fmt(x(px))}" cy="${fmt(y(py))}" r="3"><title>${name} at ${escapeMarkup(String(px))}: ${py.toFixed(digits)}</title></circle>`)
      .join('');
    parts.push(`<g class="series-group" data-series="${name}" style="color:${escapeMarkup(s.color)}"><path class="series" data-series="${name}" d="${d}"/>${dots}</g>`);
  }
  // Legend, right-aligned above the plot.
  let lx = right;
  const legend: string[] = [];
  for (const s of [...series].reverse()) {
    const w = 26 + 7 * s.name.length;
    lx -= w;
    legend.push(
      `<g class="legend-item"><line x1="${lx}" x2="${lx + 16}" y1="16" y2="16" style="stroke:${escapeMarkup(s.color)}"/>` +
        `<text x="${lx + 20}" y="20">${escapeMarkup(s.name)}</text></g>`,
    );
  }
  parts.push(...legend.reverse());
  return (
    `<svg class="line-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeMarkup(args.title)}">` +
    parts.join('') +
    '</svg>'
  );
}

/** A tick's label with as many decimals as the ticks' step needs. */
function tickLabel(value: number, ticks: readonly number[]): string {
  const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : 1;
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  return value.toFixed(decimals);
}

/** The chart's CSS, for a page that holds charts (the lines take their colour from `color`). */
export const LINE_CHART_CSS = `
.line-chart { font: 12px system-ui, sans-serif; background: #fff; }
.line-chart .chart-title { font-weight: 600; font-size: 14px; fill: #222; }
.line-chart .grid { stroke: #e6e6e6; }
.line-chart .axis { stroke: #888; }
.line-chart .tick, .line-chart .axis-label, .line-chart .legend-item text { fill: #555; }
.line-chart .series { fill: none; stroke: currentColor; stroke-width: 2; }
.line-chart circle { fill: currentColor; }
.line-chart .legend-item line { stroke-width: 3; }
.line-chart .best-marker line { stroke: #444; stroke-dasharray: 4 3; }
.line-chart .best-marker text { fill: #333; font-weight: 600; paint-order: stroke; stroke: #fff; stroke-width: 4px; stroke-linejoin: round; }
`;
