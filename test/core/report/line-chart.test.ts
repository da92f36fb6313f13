import { describe, expect, it } from 'vitest';
import { escapeMarkup } from '../../../src/core/util/escape-markup.js';
import { renderLineChart } from '../../../src/core/report/line-chart.js';
import { linearScale, niceTicks } from '../../../src/core/report/scale.js';

/** The numbers of a path's `d` attribute as [x, y] pairs. */
function pathPoints(svg: string, series: string): [number, number][] {
  const m = new RegExp(`<path class="series" data-series="${series}" d="([^"]*)"`).exec(svg);
  if (!m) throw new Error(`no path for ${series}`);
  return m[1].split(' ').map((p) => p.slice(1).split(',').map(Number) as [number, number]);
}

describe('scales', () => {
  it('map the domain linearly onto the range, inverted ranges too', () => {
    const s = linearScale([0, 10], [100, 0]);
    expect([s(0), s(2.5), s(10), s(20)]).toEqual([100, 75, 0, -100]);
    expect(linearScale([3, 3], [0, 50])(3)).toBe(25);
  });

  it('niceTicks covers the values with round steps', () => {
    expect(niceTicks(0.13, 0.92, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(50.6, 100, 5)).toEqual([50, 60, 70, 80, 90, 100]);
    expect(niceTicks(1, 2, 8, true)).toEqual([1, 2]);
    expect(niceTicks(1, 25, 8, true)).toEqual([0, 5, 10, 15, 20, 25]);
    const one = niceTicks(7, 7, 5);
    expect(one[0]).toBeLessThan(7);
    expect(one[one.length - 1]).toBeGreaterThan(7);
    expect(niceTicks(0.1, 0.3, 2).every((t) => String(t).length <= 4)).toBe(true);
  });
});

describe('renderLineChart', () => {
  const chart = renderLineChart({
    title: 'Dev',
    series: [
      { name: 'F1', points: [[1, 50], [2, 75], [3, 100]] },
      { name: 'loss', points: [[1, 60], [2, Number.NaN], [3, 80]] },
    ],
    marker: { x: 2, label: 'best: epoch 2' },
    width: 400,
    height: 200,
  });

  it('draws one path per series with points placed by the scales', () => {
    expect(chart.match(/<path class="series"/g)).toHaveLength(2);
    const f1 = pathPoints(chart, 'F1');
    expect(f1).toHaveLength(3);
    // x from 1 to 3 over [58, 384]; y ticks 50..100 over [156, 34].
    expect(f1[0]).toEqual([58, 156]);
    expect(f1[1]).toEqual([221, 95]);
    expect(f1[2]).toEqual([384, 34]);
    // The NaN point is left out.
    expect(pathPoints(chart, 'loss')).toHaveLength(2);
  });

  it('marks the best epoch with a vertical line at its x', () => {
    const m = /<g class="best-marker" data-x="2"><line x1="([\d.]+)" x2="([\d.]+)"/.exec(chart);
    expect(m?.[1]).toBe('221');
    expect(chart).toContain('best: epoch 2');
  });

  it('escapes every text: title, series names, marker label', () => {
    const evil = '<script>alert("x")</script>&';
    const svg = renderLineChart({ title: evil, series: [{ name: evil, points: [[1, 1]] }], marker: { x: 1, label: evil }, xLabel: evil, yLabel: evil });
    expect(svg).not.toContain('<script>');
    expect(svg).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#39;)/);
    expect(svg.split(escapeMarkup(evil)).length - 1).toBeGreaterThanOrEqual(6);
  });

  it('draws an empty chart without failing', () => {
    expect(renderLineChart({ title: 'none', series: [] })).toMatch(/^<svg[\s\S]*<\/svg>$/);
  });
});

describe('escapeMarkup', () => {
  it('escapes the five special characters', () => {
    expect(escapeMarkup(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
