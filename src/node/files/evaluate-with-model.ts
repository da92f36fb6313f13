import { readConll } from './conll-files.js';
import type { Document } from '../../core/document/document.js';
import type { EvalResult } from '../../core/eval/conlleval.js';
import { scoreDocuments, type ScoreArgs } from '../../core/eval/score.js';
import type { BackendInfo } from '../../core/runtime.js';
import { Tagger, type TaggerLoadArgs } from '../../core/tagger/tagger.js';

/**
 * How `ner eval FILE` scores: as the CoNLL evaluation script does on `ner predict` output,
 * which counts each `-DOCSTART-` line as a token tagged O in both columns.
 */
export const CONLLEVAL_SCORING: ScoreArgs = { docstartTokens: true };

/**
 * Tags a CoNLL file's words with a model and scores the predictions against the file's gold
 * tags (its last column), as `ner eval FILE` does. The figures equal those of the CoNLL
 * evaluation script on `ner predict` output (see CONLLEVAL_SCORING).
 *
 * @example
 * const result = await evaluateWithModel('test.txt'); // bundled model
 * result.f1;
 */
export async function evaluateWithModel(file: string, modelDir?: string, args: TaggerLoadArgs = {}): Promise<EvalResult> {
  return scoreDocuments(await predictConllFile(file, modelDir, args), CONLLEVAL_SCORING);
}

/** Tagger.load's options, and who is told the backend that runs once it has started. */
export interface PredictConllArgs extends TaggerLoadArgs {
  onBackend?: (info: BackendInfo) => void;
}

/**
 * The documents of a CoNLL file, each sentence with its gold tags (the last column, as read)
 * and the tags the model predicts, for scoring and error analysis.
 *
 * @example
 * const documents = await predictConllFile('test.txt');
 * documents[0].sentences[0].predicted; // ['B-ORG', 'O', ...]
 */
export async function predictConllFile(file: string, modelDir?: string, args: PredictConllArgs = {}): Promise<Document[]> {
  const { onBackend, ...loadArgs } = args;
  const corpus = await readConll(file);
  const tagger = await Tagger.load(modelDir, loadArgs);
  onBackend?.(tagger.backend);
  // One pass over all documents keeps the network's batches large.
  await tagger.model.predictAsync(corpus.documents);
  return corpus.documents;
}
