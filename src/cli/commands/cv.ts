/** `ner cv`: k-fold cross-validation of the training options over one CoNLL file. */
import { useBackend, describeBackend } from '../../node/backend.js';
import { usageError } from '../../core/errors.js';
import { crossValidate } from '../../core/train/cross-validate.js';
import { fixedDefault } from '../../core/train/options.js';
import { readLabeledDocuments } from '../../node/train-files.js';
import { checkDocuments } from '../../core/train/validate-data.js';
import { intOption, parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { createProgress } from '../progress.js';
import { trainingStatus } from '../train-progress.js';
import { hyperparameters, TRAIN_OPTION_SPECS, TRAIN_OPTIONS_HELP } from '../train-options.js';

const HELP = `Usage: ner cv --train FILE [--folds K] [--json] [training options]

k-fold cross-validation: cuts FILE's sentences into K contiguous folds; for each fold, trains
on K-2 folds, stops early on the next fold, and scores the held-out fold. Prints each fold
and the mean and standard deviation of precision, recall and F1. Use it to compare training
options without touching a test set.

  --train FILE          labelled CoNLL data
  --folds K             number of folds, >= 3 (default 5)
  --json                print the result as JSON on stdout

${TRAIN_OPTIONS_HELP}Exit codes: 0 done, 2 usage error or bad option value, 1 other failure.
`;

export const cvCommand: Command = {
  name: 'cv',
  summary: 'k-fold cross-validation of training options',
  help: HELP,
  async run(argv) {
    const { values: v, positionals } = parseCommandArgs(
      argv,
      { train: { type: 'string' }, folds: { type: 'string' }, json: { type: 'boolean' }, ...TRAIN_OPTION_SPECS },
      'cv',
    );
    if (positionals.length > 0) throw usageError(`unexpected argument "${positionals[0]}"`, 'see `ner cv --help`');
    if (!v.train) throw usageError('--train is required', 'see `ner cv --help`');
    const folds = intOption(v.folds as string | undefined, 'folds', 5);
    if (folds < 3) throw usageError(`--folds must be at least 3, got ${folds}`);
    // ner cv has no --teacher: distillation options are refused by hyperparameters.
    const { backend, teacher: _teacher, ...options } = hyperparameters(v);
    const documents = await readLabeledDocuments(v.train as string);
    checkDocuments(documents, 'training', v.train as string);
    const progress = await createProgress();
    progress.line(describeBackend(await useBackend(backend ?? fixedDefault('backend'))));
    try {
      const result = await crossValidate({
        ...options,
        documents,
        folds,
        ...trainingStatus(progress),
        onFold: (f) =>
          progress.line(
            `fold ${f.fold}/${folds}: held-out P ${f.heldOut.precision.toFixed(2)} R ${f.heldOut.recall.toFixed(2)} F1 ${f.heldOut.f1.toFixed(2)}` +
              `  (dev F1 ${f.dev.f1.toFixed(2)}, best epoch ${f.bestEpoch}, ${f.trainSentences} training sentences)`,
          ),
      });
      if (v.json) {
        process.stdout.write(`${JSON.stringify(result)}\n`);
      } else {
        const fmt = (m: number, s: number) => `${m.toFixed(2)} ± ${s.toFixed(2)}`;
        process.stdout.write(
          `${folds}-fold cross-validation of ${v.train}: ` +
            `P ${fmt(result.mean.precision, result.std.precision)}  R ${fmt(result.mean.recall, result.std.recall)}  F1 ${fmt(result.mean.f1, result.std.f1)}\n`,
        );
      }
      return 0;
    } finally {
      progress.stop();
    }
  },
};
