/**
 * Averaging trained model folders into an ensemble folder, as `ner ensemble` does it: --out is
 * checked before any model loads, each member is checked against the first (named by folder),
 * and the ensemble is saved atomically. The averaging itself is core/train/ensemble.ts.
 */
import { NerError } from '../core/errors.js';
import { ensembleMismatch, type WindowModel } from '../core/model/window-model.js';
import { buildEnsemble, type EnsembleResult } from '../core/train/ensemble.js';
import { openModelOutput } from './storage/model-dir.js';
import { loadModel, saveModel } from './storage/model-io.js';
import { readLabeledDocuments } from './train-files.js';

/** What ensembleFiles is told. */
export interface EnsembleFilesArgs {
  /** Model folders (two or more), or bundled model names. */
  models: readonly string[];
  /** Where to save the ensemble. */
  out: string;
  /** CoNLL file to score each member and the ensemble on, and to choose the transition weight. */
  devFile?: string;
}

/**
 * Loads the models, averages them and saves the ensemble in `out`; returns what buildEnsemble does.
 *
 * @example
 * const { model, dev } = await ensembleFiles({ models: ['m1', 'm2'], out: 'ens', devFile: 'valid.txt' });
 */
export async function ensembleFiles(args: EnsembleFilesArgs): Promise<EnsembleResult> {
  // --out first (a refused target, unwritable, locked): not after the models load. saveModel
  // checks it again and locks it while it saves.
  await (await openModelOutput(args.out)).release();
  // The dev file next: a bad path should not wait for several models to load.
  const dev = args.devFile !== undefined ? await readLabeledDocuments(args.devFile) : undefined;
  const members: WindowModel[] = [];
  for (const dir of args.models) {
    const member = (await loadModel(dir)).model;
    const mismatch = members.length > 0 ? ensembleMismatch(members[0], member) : null;
    if (mismatch) {
      throw new NerError('E_MODEL', `has ${mismatch} than ${args.models[0]}, so the two cannot be averaged`, {
        file: dir,
        hint: 'the members of an ensemble must be trained on the same data with the same features and vectors',
      });
    }
    members.push(member);
  }
  const result = await buildEnsemble(members, dev);
  await saveModel(result.model, args.out);
  return result;
}
