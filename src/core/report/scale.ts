/** Linear scales and readable tick values for the report's charts. */

/**
 * A function mapping `domain` linearly onto `range`; an empty domain (one value) maps to the
 * middle of the range, so a single point is still drawn.
 *
 * @example
 * linearScale([0, 10], [0, 100])(2.5); // 25
 */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): (value: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  if (d1 === d0) return () => (r0 + r1) / 2;
  return (value) => r0 + ((value - d0) / (d1 - d0)) * (r1 - r0);
}

/**
 * About `count` round tick values (steps of 1, 2 or 5 times a power of ten) covering
 * [min, max]: the first is at or below min and the last at or above max, so they can serve
 * as the chart's domain. `integer` keeps steps of at least 1 (for epochs).
 *
 * @example
 * niceTicks(0.13, 0.92, 5); // [0, 0.2, 0.4, 0.6, 0.8, 1]
 */
export function niceTicks(min: number, max: number, count = 5, integer = false): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (max < min) [min, max] = [max, min];
  if (max === min) {
    // One value: a band around it, so its line sits inside the chart.
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    return niceTicks(min - pad, max + pad, count, integer);
  }
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  if (integer) step = Math.max(1, Math.round(step));
  const first = Math.floor(min / step + 1e-9);
  const last = Math.ceil(max / step - 1e-9);
  const ticks: number[] = [];
  // Multiplying (not adding) keeps 0.1 * 3 from drifting to 0.30000000000000004 in labels.
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}
