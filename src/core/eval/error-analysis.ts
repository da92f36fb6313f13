/**
 * Entity-level error analysis: every gold and predicted entity that is not an exact match is
 * put in one class, so that one can see whether a model mostly finds the wrong type, the
 * wrong boundaries, or nothing at all.
 */
import { tagsToSpans } from '../tags/spans.js';
import type { Span } from '../document/document.js';
import { NerError } from '../errors.js';

/** Counts of each kind of error; `correct` is the exact matches. */
export interface ErrorCounts {
  correct: number;
  /** Same tokens, wrong type (a gold entity and a predicted one). */
  type: number;
  /** Same type, overlapping but different tokens. */
  boundary: number;
  /** Overlapping, different tokens and different type. */
  boundaryAndType: number;
  /** Gold entity with no overlapping prediction. */
  missed: number;
  /** Predicted entity with no overlapping gold entity. */
  spurious: number;
}

/** Error counts overall and by gold type (spurious ones by predicted type). */
export interface ErrorAnalysis {
  overall: ErrorCounts;
  types: Record<string, ErrorCounts>;
}

const empty = (): ErrorCounts => ({ correct: 0, type: 0, boundary: 0, boundaryAndType: 0, missed: 0, spurious: 0 });

const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;

/**
 * Classifies the entities of tag sequences (one per sentence, decoded like conlleval). A gold
 * entity is judged by the predicted entity overlapping it most; predicted entities that
 * overlap no gold entity are spurious.
 *
 * @example
 * analyzeErrors([['B-ORG', 'I-ORG', 'O']], [['B-LOC', 'I-LOC', 'O']]).overall.type; // 1
 */
export function analyzeErrors(gold: readonly (readonly string[])[], predicted: readonly (readonly string[])[]): ErrorAnalysis {
  if (gold.length !== predicted.length) {
    throw new NerError('E_FORMAT', `${gold.length} gold sentences but ${predicted.length} predicted sentences`);
  }
  const overall = empty();
  const types: Record<string, ErrorCounts> = {};
  const count = (type: string, kind: keyof ErrorCounts) => {
    overall[kind]++;
    (types[type] ??= empty())[kind]++;
  };
  gold.forEach((goldTags, s) => {
    const g = tagsToSpans(goldTags);
    const p = tagsToSpans(predicted[s]);
    for (const span of g) {
      const candidates = p.filter((q) => overlaps(span, q));
      if (candidates.length === 0) {
        count(span.type, 'missed');
        continue;
      }
      const best = candidates.reduce((a, b) => (overlap(span, b) > overlap(span, a) ? b : a));
      const sameTokens = best.start === span.start && best.end === span.end;
      const sameType = best.type === span.type;
      count(span.type, sameTokens ? (sameType ? 'correct' : 'type') : sameType ? 'boundary' : 'boundaryAndType');
    }
    for (const span of p) if (!g.some((q) => overlaps(span, q))) count(span.type, 'spurious');
  });
  return { overall, types };
}

function overlap(a: Span, b: Span): number {
  return Math.min(a.end, b.end) - Math.max(a.start, b.start);
}

/**
 * The analysis as an aligned text table, one row per type and one for all.
 *
 * @example
 * formatErrorAnalysis(analyzeErrors(gold, predicted));
 */
export function formatErrorAnalysis(analysis: ErrorAnalysis): string {
  const columns: (keyof ErrorCounts)[] = ['correct', 'type', 'boundary', 'boundaryAndType', 'missed', 'spurious'];
  const header = ['type', 'correct', 'wrong type', 'wrong boundary', 'both wrong', 'missed', 'spurious'];
  const rows = [...Object.keys(analysis.types).sort(), 'all'].map((t) => {
    const c = t === 'all' ? analysis.overall : analysis.types[t];
    return [t, ...columns.map((k) => String(c[k]))];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows].map((r) => r.map((cell, i) => cell.padStart(widths[i])).join('  ')).join('\n') + '\n';
}
