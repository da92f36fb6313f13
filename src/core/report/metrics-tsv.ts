/** metrics.tsv, the per-epoch figures a model folder keeps beside model.json (Node and browser training write the same). */

/** The figures of an epoch that metrics.tsv keeps (an EpochMetrics has them). */
export interface EpochLine {
  epoch: number;
  loss: number;
  dev: { precision: number; recall: number; f1: number };
  learningRate: number;
  windowsPerSecond: number;
  seconds: number;
}

export const METRICS_HEADER = 'epoch\tloss\tdev_precision\tdev_recall\tdev_f1\tlearning_rate\twindows_per_s\tseconds\n';

/** One epoch's line of metrics.tsv, newline included. */
export function metricsLine(m: EpochLine): string {
  return [m.epoch, m.loss.toFixed(5), m.dev.precision.toFixed(2), m.dev.recall.toFixed(2), m.dev.f1.toFixed(2), m.learningRate.toPrecision(4), Math.round(m.windowsPerSecond), m.seconds.toFixed(1)].join('\t') + '\n';
}
