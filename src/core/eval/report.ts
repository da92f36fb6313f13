/**
 * The CoNLL evaluation script's text report, character for character, so that tools and
 * people used to reading conlleval output can read ours.
 */
import type { EvalResult } from './conlleval.js';

/**
 * Formats a number like C's `printf("%W.Df")`, which the Perl script uses: rounded to
 * `digits` decimals, half to even on an exact tie (C rounds the exact binary value;
 * JavaScript's `toFixed` rounds exact ties up, so 12.125 would print 12.13 instead of
 * 12.12), and padded on the left with spaces to `width`.
 *
 * @example
 * printfFixed(12.125, 2, 6);   // ' 12.12'
 * printfFixed(2 / 3 * 100, 2); // '66.67'
 */
export function printfFixed(value: number, digits: number, width = 0): string {
  return roundHalfEven(value, digits).padStart(width, ' ');
}

function roundHalfEven(value: number, digits: number): string {
  const rounded = value.toFixed(digits);
  if (!Number.isFinite(value) || Math.abs(value) >= 1e21) return rounded;
  // toFixed(100) is the exact decimal expansion of a double in this range (a double's
  // fraction here has far fewer than 100 decimal digits), so a tie shows as "…5000…".
  const exact = Math.abs(value).toFixed(100);
  const dot = exact.indexOf('.');
  const rest = exact.slice(dot + 1 + digits);
  if (!/^50*$/.test(rest)) return rounded;
  const truncated = exact.slice(0, digits > 0 ? dot + 1 + digits : dot);
  const lastDigit = Number(truncated[truncated.length - 1]);
  if (lastDigit % 2 === 1) return rounded; // toFixed rounded away from zero: the even neighbour
  return value < 0 ? `-${truncated}` : truncated;
}

/**
 * The report conlleval.pl prints: totals, then overall accuracy and entity precision,
 * recall and FB1, then one line per entity type ending with the number predicted.
 *
 * @example
 * const result = evaluate([['B-LOC', 'O']], [['B-LOC', 'O']]);
 * formatConllevalReport(result);
 * // processed 2 tokens with 1 phrases; found: 1 phrases; correct: 1.
 * // accuracy: 100.00%; precision: 100.00%; recall: 100.00%; FB1: 100.00
 * //               LOC: precision: 100.00%; recall: 100.00%; FB1: 100.00  1
 */
export function formatConllevalReport(result: EvalResult): string {
  const lines = [`processed ${result.tokens} tokens with ${result.gold} phrases; found: ${result.predicted} phrases; correct: ${result.correct}.`];
  // conlleval prints the overall figures only when there were tokens.
  if (result.tokens > 0) {
    lines.push(
      `accuracy: ${pct(result.accuracy)}%; precision: ${pct(result.precision)}%; ` +
        `recall: ${pct(result.recall)}%; FB1: ${pct(result.f1)}`,
    );
  }
  // Sorted again because a JavaScript object lists integer-like keys ("2") first.
  const types = Object.entries(result.types).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [type, score] of types) {
    lines.push(
      `${type.padStart(17, ' ')}: precision: ${pct(score.precision)}%; recall: ${pct(score.recall)}%; ` +
        `FB1: ${pct(score.f1)}  ${score.predicted}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function pct(value: number): string {
  return printfFixed(value, 2, 6);
}
