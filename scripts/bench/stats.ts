/** Median and range of repeated measurements, and how the bench prints them. */

/** One figure measured several times. */
export interface Stat {
  median: number;
  min: number;
  max: number;
  /** Every measurement, in the order taken. */
  values: number[];
}

/**
 * Median, min and max of measurements (the mean of the two middle values for an even count).
 *
 * @example
 * summarize([3, 1, 2]); // { median: 2, min: 1, max: 3, values: [3, 1, 2] }
 */
export function summarize(values: readonly number[]): Stat {
  if (values.length === 0) throw new Error('summarize needs at least one value');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], values: [...values] };
}

/** A number with thousands separators and `digits` decimals. */
export function num(x: number, digits = 0): string {
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/**
 * `median [min - max]` of a stat, each with `digits` decimals and an optional unit.
 *
 * @example
 * formatStat(summarize([1, 2, 4]), 1, ' s'); // '2.0 s [1.0 - 4.0]'
 */
export function formatStat(s: Stat, digits = 0, unit = ''): string {
  return `${num(s.median, digits)}${unit} [${num(s.min, digits)} - ${num(s.max, digits)}]`;
}

/** Milliseconds of CPU (user + system) in a `process.cpuUsage()` difference. */
export function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}
