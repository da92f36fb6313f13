/**
 * The HTML sections both reports share: per-type scores, error classes and the token
 * confusion table of a model on labelled documents.
 */
import type { EvalResult } from '../eval/conlleval.js';
import type { ConfusionTable } from '../eval/confusion.js';
import type { ErrorAnalysis, ErrorCounts } from '../eval/error-analysis.js';
import { escapeMarkup } from '../util/escape-markup.js';

/** A model's figures on one labelled set, as the reports show them. */
export interface ScoredSet {
  result: EvalResult;
  errors: ErrorAnalysis;
  confusion: ConfusionTable;
}

const pct = (v: number) => v.toFixed(2);
const cell = (text: string, cls = '') => `<td${cls ? ` class="${cls}"` : ''}>${escapeMarkup(text)}</td>`;
const head = (names: readonly string[]) => `<thead><tr>${names.map((n) => `<th>${escapeMarkup(n)}</th>`).join('')}</tr></thead>`;

/** Precision, recall and F1 per entity type and overall, one `<tr data-type>` per type. */
export function typeScoresTable(result: EvalResult): string {
  const rows = Object.entries(result.types)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(
      ([type, s]) =>
        `<tr class="type-row" data-type="${escapeMarkup(type)}">${cell(type, 'label')}${cell(pct(s.precision), 'num')}${cell(pct(s.recall), 'num')}${cell(pct(s.f1), 'num')}` +
        `${cell(String(s.gold), 'num')}${cell(String(s.predicted), 'num')}${cell(String(s.correct), 'num')}</tr>`,
    );
  const all =
    `<tr class="total-row">${cell('all', 'label')}${cell(pct(result.precision), 'num')}${cell(pct(result.recall), 'num')}${cell(pct(result.f1), 'num')}` +
    `${cell(String(result.gold), 'num')}${cell(String(result.predicted), 'num')}${cell(String(result.correct), 'num')}</tr>`;
  return `<table class="type-scores">${head(['type', 'precision', 'recall', 'F1', 'gold', 'predicted', 'correct'])}<tbody>${rows.join('')}${all}</tbody></table>`;
}

const ERROR_COLUMNS: readonly [keyof ErrorCounts, string][] = [
  ['correct', 'correct'],
  ['type', 'wrong type'],
  ['boundary', 'wrong boundary'],
  ['boundaryAndType', 'both wrong'],
  ['missed', 'missed'],
  ['spurious', 'spurious'],
];

/** The entity error classes by gold type (spurious ones by predicted type) and overall. */
export function errorClassesTable(errors: ErrorAnalysis): string {
  const row = (label: string, c: ErrorCounts, cls: string) =>
    `<tr class="${cls}" data-type="${escapeMarkup(label)}">${cell(label, 'label')}${ERROR_COLUMNS.map(([k]) => cell(String(c[k]), 'num')).join('')}</tr>`;
  const rows = Object.keys(errors.types)
    .sort()
    .map((t) => row(t, errors.types[t], 'error-row'));
  return `<table class="error-classes">${head(['type', ...ERROR_COLUMNS.map(([, n]) => n)])}<tbody>${rows.join('')}${row('all', errors.overall, 'total-row')}</tbody></table>`;
}

/**
 * Token counts by gold type (rows) and predicted type (columns), each cell shaded by its share
 * of the row, the diagonal green and the rest red, so the confusions stand out.
 */
export function confusionTableHtml(table: ConfusionTable): string {
  const { labels, counts } = table;
  const rows = labels.map((gold, g) => {
    const total = counts[g].reduce((a, b) => a + b, 0);
    const cells = counts[g].map((n, p) => {
      const share = total > 0 ? n / total : 0;
      const hue = g === p ? '0, 158, 115' : '213, 94, 0';
      const style = n > 0 ? ` style="background: rgba(${hue}, ${(0.08 + 0.6 * share).toFixed(3)})"` : '';
      return `<td class="num"${style} title="${escapeMarkup(`gold ${gold}, predicted ${labels[p]}: ${n}`)}">${n}</td>`;
    });
    const correct = total > 0 ? ((100 * counts[g][g]) / total).toFixed(2) : '0.00';
    return `<tr data-gold="${escapeMarkup(gold)}"><th>${escapeMarkup(gold)}</th>${cells.join('')}${cell(String(total), 'num')}${cell(`${correct}%`, 'num')}</tr>`;
  });
  return `<table class="confusion">${head(['gold \\ predicted', ...labels, 'total', 'correct'])}<tbody>${rows.join('')}</tbody></table>`;
}

/** The sections of a scored set, each with its heading; `beside` (HTML) goes next to the confusion table. */
export function scoredSetSections(set: ScoredSet, what: string, beside = ''): string {
  return [
    '<div class="row">',
    `<section><h2>Scores per type (${escapeMarkup(what)})</h2>${typeScoresTable(set.result)}</section>`,
    `<section><h2>Entity errors</h2><p class="note">By gold type (spurious: by predicted type).</p>${errorClassesTable(set.errors)}</section>`,
    '</div>',
    '<div class="row">',
    `<section><h2>Token confusion</h2><p class="note">Tokens by gold type (rows) and predicted type (columns), whatever their B/I prefix.</p>${confusionTableHtml(set.confusion)}</section>`,
    beside,
    '</div>',
  ].join('\n');
}
