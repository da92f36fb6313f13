/** The report `ner eval FILE --report` writes: any model's figures on one labelled file. */
import { escapeMarkup } from '../util/escape-markup.js';
import { readableTime, reportPage } from './page.js';
import { scoredSetSections, type ScoredSet } from './sections.js';

/** What an evaluation report shows. */
export interface EvalReportArgs {
  /** The model, as the user named it. */
  model: string;
  /** The labelled file, as the user named it. */
  file: string;
  scores: ScoredSet;
  created?: string;
}

/**
 * The report as one self-contained HTML page.
 *
 * @example
 * renderEvalReport({ model: 'conll2003-en', file: 'test.txt', scores });
 */
export function renderEvalReport(args: EvalReportArgs): string {
  const r = args.scores.result;
  const body = [
    `<h1>Evaluation report: ${escapeMarkup(args.model)} on ${escapeMarkup(args.file)}</h1>`,
    `<p class="summary">${r.tokens} tokens, ${r.gold} gold entities, ${r.predicted} predicted, ${r.correct} correct: ` +
      `precision <b>${r.precision.toFixed(2)}</b>, recall <b>${r.recall.toFixed(2)}</b>, F1 <b>${r.f1.toFixed(2)}</b>, ` +
      `token accuracy ${r.accuracy.toFixed(2)}%${args.created ? `. Written ${escapeMarkup(readableTime(args.created))}` : ''}.</p>`,
    scoredSetSections(args.scores, args.file),
  ].join('\n');
  return reportPage(`Evaluation report: ${args.model} on ${args.file}`, body);
}
