/**
 * The report of a training run, `report.html` in the model folder: loss and dev scores per
 * epoch as charts with the best epoch marked, the best model's figures on dev, and the options.
 */
import { escapeMarkup } from '../util/escape-markup.js';
import { renderLineChart } from './line-chart.js';
import { readableTime, reportPage } from './page.js';
import { scoredSetSections, type ScoredSet } from './sections.js';

/** One epoch's figures (what metrics.tsv holds). */
export interface EpochFigures {
  epoch: number;
  loss: number;
  dev: { precision: number; recall: number; f1: number };
}

/** What a training report shows. */
export interface TrainingReportArgs {
  /** The model's name (its folder). */
  name: string;
  epochs: readonly EpochFigures[];
  bestEpoch: number;
  /** Why training stopped ('running' while it goes on). */
  stopped: string;
  /** The saved model (the best epoch's, as stored) on dev. */
  dev: ScoredSet;
  /** The options training ran with. */
  options: Readonly<Record<string, unknown>>;
  /** When the report was made (ISO time). */
  created?: string;
}

/**
 * The report as one self-contained HTML page.
 *
 * @example
 * renderTrainingReport({ name: 'mine', epochs, bestEpoch: 3, stopped: 'epochs', dev, options });
 */
export function renderTrainingReport(args: TrainingReportArgs): string {
  const marker = args.bestEpoch > 0 ? { x: args.bestEpoch, label: `best: epoch ${args.bestEpoch}` } : undefined;
  const loss = renderLineChart({
    title: 'Training loss',
    series: [{ name: 'loss', points: args.epochs.map((e) => [e.epoch, e.loss]) }],
    xLabel: 'epoch',
    yLabel: 'cross-entropy',
    digits: 4,
    marker,
  });
  const dev = renderLineChart({
    title: 'Dev entity scores',
    series: (['precision', 'recall', 'f1'] as const).map((k) => ({ name: k === 'f1' ? 'F1' : k, points: args.epochs.map((e) => [e.epoch, e.dev[k]] as const) })),
    xLabel: 'epoch',
    yLabel: 'percent',
    marker,
  });
  const best = args.epochs.find((e) => e.epoch === args.bestEpoch);
  const r = args.dev.result;
  const summary =
    `<p class="summary">Best epoch <b>${args.bestEpoch}</b> of ${args.epochs.length}` +
    (best ? ` (training loss ${best.loss.toFixed(4)})` : '') +
    `; stopped: ${escapeMarkup(args.stopped)}. Saved model on dev: precision <b>${r.precision.toFixed(2)}</b>, ` +
    `recall <b>${r.recall.toFixed(2)}</b>, F1 <b>${r.f1.toFixed(2)}</b>, token accuracy ${r.accuracy.toFixed(2)}%` +
    `${args.created ? `. Written ${escapeMarkup(readableTime(args.created))}` : ''}.</p>`;
  const body = [
    `<h1>Training report: ${escapeMarkup(args.name)}</h1>`,
    summary,
    `<section><h2>Per epoch</h2><div class="charts">${loss}${dev}</div></section>`,
    scoredSetSections(
      args.dev,
      'saved model on dev',
      `<section><h2>Options</h2><p class="note">As given; the others at their defaults (<code>ner train --help</code>).</p>${optionsTable(args.options)}</section>`,
    ),
  ].join('\n');
  return reportPage(`Training report: ${args.name}`, body);
}

/** The options as a two-column table, values as JSON (strings unquoted). */
function optionsTable(options: Readonly<Record<string, unknown>>): string {
  const rows = Object.keys(options)
    .sort()
    .filter((k) => options[k] !== undefined)
    .map((k) => {
      const v = options[k];
      const text = typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
      return `<tr><td>${escapeMarkup(k)}</td><td>${escapeMarkup(text)}</td></tr>`;
    });
  return `<table class="options"><tbody>${rows.join('')}</tbody></table>`;
}
