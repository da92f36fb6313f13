import { readConll } from './conll-files.js';
import { evaluate, type EvalResult } from '../../core/eval/conlleval.js';
import { Tagger, type TaggerLoadArgs } from '../../core/tagger/tagger.js';

/**
 * Tags a CoNLL file's words with a model and scores the predictions against the file's gold
 * tags (its last column), as `ner eval FILE` does. The figures equal those of the CoNLL
 * evaluation script on `ner predict` output, which counts each `-DOCSTART-` line as a token
 * tagged O in both columns; so do we.
 *
 * @example
 * const result = await evaluateWithModel('test.txt'); // bundled model
 * result.f1;
 */
export async function evaluateWithModel(file: string, modelDir?: string, args: TaggerLoadArgs = {}): Promise<EvalResult> {
  const { gold, predicted } = await predictConllFile(file, modelDir, args);
  return evaluate(gold, predicted);
}

/**
 * Gold and predicted tags of every sentence of a CoNLL file (plus one `O` token per
 * `-DOCSTART-` line, as conlleval counts them), for scoring and error analysis.
 */
export async function predictConllFile(
  file: string,
  modelDir?: string,
  args: TaggerLoadArgs = {},
): Promise<{ gold: string[][]; predicted: string[][] }> {
  const corpus = await readConll(file);
  const tagger = await Tagger.load(modelDir, args);
  const gold: string[][] = [];
  const predicted: string[][] = [];
  // One pass over all documents keeps the network's batches large.
  const sentences = corpus.documents.flatMap((doc) => doc.sentences);
  const documents = corpus.documents.flatMap((doc, d) => doc.sentences.map(() => d));
  const predictions = tagger.tagWords(sentences.map((s) => s.words), documents);
  let k = 0;
  for (const doc of corpus.documents) {
    if (doc.line > 0) {
      gold.push(['O']);
      predicted.push(['O']);
    }
    for (const s of doc.sentences) {
      gold.push(s.tags);
      predicted.push(predictions[k++].tags);
    }
  }
  return { gold, predicted };
}
