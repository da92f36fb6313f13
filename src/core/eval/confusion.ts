/**
 * A token-level confusion table of entity types, for error analysis: how often a token of
 * gold type X was predicted as type Y (`O` included), whatever its B/I/E/S prefix. It shows
 * what entity-level F1 hides, such as ORG tokens predicted as LOC.
 */
import { NerError } from '../errors.js';
import { parseTag } from '../tags/tag.js';

/** Counts of tokens by gold type (rows) and predicted type (columns). */
export interface ConfusionTable {
  /** `O` first, then the entity types in sorted order; rows and columns both follow it. */
  labels: string[];
  /** `counts[g][p]`: tokens whose gold type is `labels[g]` and predicted type `labels[p]`. */
  counts: number[][];
}

const OUTSIDE = 'O';

/**
 * Builds the confusion table of tag sequences (one per sentence).
 *
 * @example
 * const table = confusionTable([['B-ORG', 'I-ORG', 'O']], [['B-LOC', 'I-ORG', 'O']]);
 * table.labels; // ['O', 'LOC', 'ORG']
 * table.counts; // [[1, 0, 0], [0, 0, 0], [0, 1, 1]]
 */
export function confusionTable(gold: readonly (readonly string[])[], predicted: readonly (readonly string[])[]): ConfusionTable {
  if (gold.length !== predicted.length) {
    throw new NerError('E_FORMAT', `${gold.length} gold sentences but ${predicted.length} predicted sentences`);
  }
  const pairs = new Map<string, Map<string, number>>();
  const seen = new Set<string>([OUTSIDE]);
  gold.forEach((goldTags, s) => {
    const predTags = predicted[s];
    if (goldTags.length !== predTags.length) {
      throw new NerError('E_FORMAT', `sentence ${s}: ${goldTags.length} gold tags but ${predTags.length} predicted tags`);
    }
    goldTags.forEach((tag, i) => {
      const g = labelOf(tag);
      const p = labelOf(predTags[i]);
      seen.add(g).add(p);
      const row = pairs.get(g) ?? new Map<string, number>();
      row.set(p, (row.get(p) ?? 0) + 1);
      pairs.set(g, row);
    });
  });
  const types = [...seen].filter((l) => l !== OUTSIDE).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const labels = [OUTSIDE, ...types];
  const counts = labels.map((g) => labels.map((p) => pairs.get(g)?.get(p) ?? 0));
  return { labels, counts };
}

/**
 * The table as aligned text, gold types down the side and predicted types across, with
 * row totals and the share of each gold type's tokens given its correct type.
 *
 * @example
 * formatConfusionTable(confusionTable([['B-ORG', 'O']], [['B-LOC', 'O']]));
 * // gold \ pred  O  LOC  ORG  total  correct
 * //           O  1    0    0      1  100.00%
 * //         LOC  0    0    0      0    0.00%
 * //         ORG  0    1    0      1    0.00%
 */
export function formatConfusionTable(table: ConfusionTable): string {
  const { labels, counts } = table;
  const head = ['gold \\ pred', ...labels, 'total', 'correct'];
  const body = labels.map((label, g) => {
    const total = counts[g].reduce((a, b) => a + b, 0);
    const correct = total > 0 ? ((100 * counts[g][g]) / total).toFixed(2) : '0.00';
    return [label, ...counts[g].map(String), String(total), `${correct}%`];
  });
  const widths = head.map((h, c) => Math.max(h.length, ...body.map((row) => row[c].length)));
  const line = (cells: string[]): string => cells.map((cell, c) => cell.padStart(widths[c], ' ')).join('  ');
  return `${[line(head), ...body.map(line)].join('\n')}\n`;
}

function labelOf(tag: string): string {
  const { prefix, type } = parseTag(tag);
  return prefix === 'O' ? OUTSIDE : type;
}
