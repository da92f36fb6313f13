import { allSentences } from '../corpus/conll-reader.js';
import { readConll } from '../corpus/conll-reader.js';
import { evaluate, type EvalResult } from '../eval/conlleval.js';
import { Tagger } from './tagger.js';

/**
 * Tags a CoNLL file's words with a model and scores the predictions against the file's gold
 * tags (its last column), as `ner eval FILE` does.
 *
 * @example
 * const result = await evaluateWithModel('test.txt'); // bundled model
 * result.f1;
 */
export async function evaluateWithModel(file: string, modelDir?: string): Promise<EvalResult> {
  const sentences = allSentences(await readConll(file));
  const tagger = await Tagger.load(modelDir);
  const predicted = tagger.tagWords(sentences.map((s) => s.words)).map((p) => p.tags);
  return evaluate(
    sentences.map((s) => s.tags),
    predicted,
  );
}
