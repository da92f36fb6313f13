/**
 * Entity-level scoring identical to the CoNLL evaluation script (conlleval.pl, 2004-01-26)
 * on IOB1 and IOB2 input.
 *
 * conlleval counts a phrase as correct when gold and prediction start it at the same token
 * with the same type and end it at the same token, phrases being found by its chunk rules;
 * since those rules are consistent (every start closes the phrase before), that is exactly
 * the intersection of the span sets `tagsToSpans` returns. Token accuracy counts tokens whose
 * predicted tag equals the gold tag (`B-PER` vs `I-PER` is wrong), `O` tokens included.
 */
import { NerError } from '../errors.js';
import { tagsToSpans } from '../tags/spans.js';
import type { Span } from '../document/document.js';
import { PRFScore } from './prf.js';

/** Scores for one entity type. Percentages are 0-100. */
export interface TypeScore {
  precision: number;
  recall: number;
  f1: number;
  /** Entities of this type in the gold standard. */
  gold: number;
  /** Entities of this type predicted. */
  predicted: number;
  /** Predicted entities of this type that match a gold one exactly. */
  correct: number;
}

/**
 * The result of scoring, shaped exactly as `ner eval --json` prints it (so
 * `JSON.stringify(result)` is that output). Percentages are 0-100, unrounded.
 */
export interface EvalResult {
  precision: number;
  recall: number;
  f1: number;
  /** Percent of tokens whose predicted tag equals the gold tag. */
  accuracy: number;
  tokens: number;
  gold: number;
  predicted: number;
  correct: number;
  /** Per entity type, types in conlleval's (sorted) order. */
  types: Record<string, TypeScore>;
}

/**
 * Scores sentences one at a time, for files too large to hold; `evaluate` is this over arrays.
 *
 * @example
 * const evaluator = new ConllEvaluator();
 * evaluator.add(['B-PER', 'I-PER', 'O'], ['B-PER', 'I-PER', 'O']);
 * evaluator.add(['B-LOC'], ['B-ORG']);
 * evaluator.result().f1; // 50
 */
export class ConllEvaluator {
  private tokens = 0;
  private correctTags = 0;
  private readonly byType = new Map<string, PRFScore>();

  /**
   * Adds one sentence's gold and predicted tags (same length). A malformed tag or a length
   * mismatch throws a NerError; `where` (e.g. `test.txt:12`) is put in its message.
   */
  add(gold: readonly string[], predicted: readonly string[], where = ''): void {
    const at = where ? `${where}: ` : '';
    if (gold.length !== predicted.length) {
      throw new NerError('E_FORMAT', `${at}${gold.length} gold tags but ${predicted.length} predicted tags`);
    }
    const goldSpans = spansOf(gold, 'gold', at);
    const predSpans = spansOf(predicted, 'predicted', at);
    for (let i = 0; i < gold.length; i++) if (gold[i] === predicted[i]) this.correctTags++;
    this.tokens += gold.length;
    for (const span of goldSpans) this.score(span.type).fn++;
    for (const span of predSpans) this.score(span.type).fp++;
    // Both lists are sorted and non-overlapping: walk them together to find exact matches.
    let g = 0;
    for (const p of predSpans) {
      while (g < goldSpans.length && goldSpans[g].start < p.start) g++;
      const match = goldSpans[g];
      if (match && match.start === p.start && match.end === p.end && match.type === p.type) {
        const score = this.score(p.type);
        score.tp++;
        score.fp--;
        score.fn--;
      }
    }
  }

  /** The scores so far. */
  result(): EvalResult {
    const total = new PRFScore();
    const types: Record<string, TypeScore> = {};
    // conlleval prints types in Perl's default sort order: by code point.
    const names = [...this.byType.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const name of names) {
      const score = this.byType.get(name)!;
      total.tp += score.tp;
      total.fp += score.fp;
      total.fn += score.fn;
      types[name] = {
        precision: score.precision,
        recall: score.recall,
        f1: score.f1,
        gold: score.gold,
        predicted: score.predicted,
        correct: score.tp,
      };
    }
    return {
      precision: total.precision,
      recall: total.recall,
      f1: total.f1,
      accuracy: this.tokens > 0 ? (100 * this.correctTags) / this.tokens : 0,
      tokens: this.tokens,
      gold: total.gold,
      predicted: total.predicted,
      correct: total.tp,
      types,
    };
  }

  private score(type: string): PRFScore {
    let score = this.byType.get(type);
    if (!score) {
      score = new PRFScore();
      this.byType.set(type, score);
    }
    return score;
  }
}

/**
 * Scores predicted tag sequences against gold ones, sentence by sentence, exactly as the
 * CoNLL evaluation script does. Sequences may be IOB1 or IOB2 (or BIOES), even mixed.
 *
 * @example
 * const result = evaluate([['B-PER', 'I-PER', 'O', 'B-LOC']], [['B-PER', 'I-PER', 'O', 'B-ORG']]);
 * result.precision;          // 50 (1 of 2 predicted entities is correct)
 * result.types.PER.f1;       // 100
 * result.accuracy;           // 75 (3 of 4 tags equal)
 */
export function evaluate(gold: readonly (readonly string[])[], predicted: readonly (readonly string[])[]): EvalResult {
  if (gold.length !== predicted.length) {
    throw new NerError('E_FORMAT', `${gold.length} gold sentences but ${predicted.length} predicted sentences`);
  }
  const evaluator = new ConllEvaluator();
  gold.forEach((tags, i) => evaluator.add(tags, predicted[i], `sentence ${i}`));
  return evaluator.result();
}

function spansOf(tags: readonly string[], which: string, at: string): Span[] {
  try {
    return tagsToSpans(tags);
  } catch (err) {
    // err.message already ends with the hint.
    if (err instanceof NerError) throw new NerError(err.code, `${at}${which} ${err.message}`);
    throw err;
  }
}
