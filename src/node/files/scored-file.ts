/**
 * Scoring a CoNLL file that already holds predictions, `token ... gold predicted`, as the
 * CoNLL evaluation script reads it (and `ner predict` writes it).
 */
import { streamConll } from './conll-files.js';
import { malformedTag, tryParseTag } from '../../core/tags/tag.js';
import { ConllEvaluator, type EvalResult } from '../../core/eval/conlleval.js';

/**
 * Scores a file whose last two columns are gold and predicted tags, streaming it.
 *
 * Like conlleval, a `-DOCSTART-` line with as many columns as the token lines is scored as
 * a token with its own gold and predicted tags (usually `O O`): conlleval's "processed N
 * tokens" for CoNLL-2003 test is 46,666 = 46,435 tokens + 231 such lines, and its accuracy
 * counts them. A `-DOCSTART-` line of another width (which conlleval would reject), or whose
 * last two columns are not tags, is skipped.
 *
 * @example
 * const result = await evaluateScoredFile('predicted.txt');
 * console.log(result.f1);
 */
export async function evaluateScoredFile(file: string): Promise<EvalResult> {
  const evaluator = new ConllEvaluator();
  const docstarts: string[][] = [];
  let columns = 0;
  for await (const item of streamConll(file, { tagColumn: -2 })) {
    if (item.kind === 'docstart') {
      docstarts.push(item.row);
      continue;
    }
    const { rows, line } = item.sentence.source!;
    columns = rows[0].length;
    const predicted = rows.map((row, i) => {
      const tag = row[row.length - 1];
      if (tryParseTag(tag) === undefined) throw malformedTag(tag, { file, line: line + i });
      return tag;
    });
    evaluator.add(item.sentence.gold!, predicted, `${file}:${line}`);
  }
  for (const row of docstarts) {
    const [gold, predicted] = row.slice(-2);
    if (row.length === columns && tryParseTag(gold) && tryParseTag(predicted)) evaluator.add([gold], [predicted]);
  }
  return evaluator.result();
}
