/**
 * `ner train`: parses options and calls trainFiles, the same function library users call.
 */
import { usageError } from '../../core/errors.js';
import type { GazetteerFileArgs } from '../../node/files/gazetteer-files.js';
import { trainFiles } from '../../node/train-files.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { createProgress } from '../progress.js';
import { trainingStatus } from '../train-progress.js';
import { formatEpoch, hyperparameters, TRAIN_OPTION_SPECS, TRAIN_OPTIONS_HELP } from '../train-options.js';

const HELP = `Usage: ner train --train FILE --dev FILE [--test FILE] --out DIR [options]

Trains a window classifier on CoNLL files (IOB1, IOB2 or BIOES tags, converted to IOB2) and
saves the model with the best dev entity F1 in DIR, together with metrics.tsv (one line per
epoch). The best model is saved as soon as it is found, so Ctrl-C stops without losing it
(exit code 130); before the first epoch ends, Ctrl-C leaves DIR as it was.

Data:
  --train FILE          training data (CoNLL: token first, NER tag last)
  --dev FILE            development data: early stopping, model selection, and the
                        temperature that calibrates the entity scores (see ner calibrate)
  --test FILE           scored once at the end with the best model; never used for choices
  --out DIR             model directory to write: a new path, an empty folder or a model
                        folder (replaced atomically; anything else is refused untouched);
                        locked while training, so a second training into it is refused
  --teacher DIR         distil this model (a folder or a bundled model's name, e.g.
                        conll2003-en-ensemble): train on its tag probabilities mixed with the
                        gold tags (see --distill-weight, --distill-temperature); its tags
                        must be the training data's; wasm or cpu backend
  --teacher-probabilities FILE
                        distil saved probabilities instead of a model: one row per training
                        token, in order (scripts/first-stage-tags.ts --probabilities writes
                        out-of-fold ones); their tags and token count must be the training data's
  --gazetteer FILES     lists of names for the gazetteer feature (comma-separated files,
                        one TYPE<tab>name a line; add gazetteer:8 to --features)
  --gazetteer-from-training
                        add the training entities seen >= 2 times, >= 80% under one
                        type, to the gazetteer (each training document matches the other
                        folds' entities only, 5 folds)

${TRAIN_OPTIONS_HELP}Exit codes: 0 trained, 2 usage error or bad option value, 1 other failure, 130 interrupted.
`;

export const trainCommand: Command = {
  name: 'train',
  summary: 'train a window classifier on CoNLL files',
  help: HELP,
  async run(argv) {
    const { values: v, positionals } = parseCommandArgs(
      argv,
      {
        train: { type: 'string' }, dev: { type: 'string' }, test: { type: 'string' }, out: { type: 'string' }, teacher: { type: 'string' }, 'teacher-probabilities': { type: 'string' },
        gazetteer: { type: 'string' }, 'gazetteer-from-training': { type: 'boolean' },
        ...TRAIN_OPTION_SPECS,
      },
      'train',
    );
    if (positionals.length > 0) throw usageError(`unexpected argument "${positionals[0]}"`, 'see `ner train --help`');
    const s = (k: string) => v[k] as string | undefined;
    for (const required of ['train', 'dev', 'out']) if (!s(required)) throw usageError(`--${required} is required`, 'see `ner train --help`');
    const progress = await createProgress();
    progress.update('reading the data');
    const log = (line: string) => progress.line(line);
    const controller = new AbortController();
    const onSigint = () => {
      log('interrupted: finishing the current batch; the best model so far is kept');
      controller.abort();
      progress.update('stopping: finishing the best model and saving it');
    };
    process.once('SIGINT', onSigint);
    try {
      const result = await trainFiles({
        trainFile: s('train')!,
        devFile: s('dev')!,
        testFile: s('test'),
        out: s('out')!,
        ...hyperparameters(v),
        gazetteer: gazetteerOption(s('gazetteer'), v['gazetteer-from-training'] === true),
        signal: controller.signal,
        log,
        ...trainingStatus(progress),
        onEpoch: (m) => {
          // An ensemble training says which network its epochs are of; only the first is saved while it trains.
          const saved = (m.member?.index ?? 1) === 1;
          if (m.member && m.epoch === 1) log(`member ${m.member.index} of ${m.member.count} (seed ${m.member.seed})`);
          log(formatEpoch(m, saved ? '  (best, saved)' : '  (best)'));
          progress.update(`epoch ${m.epoch} done${m.best && saved ? ', saving the model' : ''}`);
        },
      });
      progress.stop(); // the closing lines stand alone
      const out = s('out')!;
      const interrupted = controller.signal.aborted;
      if (!result.saved) {
        log(`interrupted before the first epoch ended: nothing was saved, ${out} is unchanged`);
        return 130;
      }
      for (const [i, m] of (result.members ?? []).entries()) {
        log(`member ${i + 1} (seed ${m.seed}): ${m.stopped}; best epoch ${m.bestEpoch}; dev P ${m.dev.precision.toFixed(2)} R ${m.dev.recall.toFixed(2)} F1 ${m.dev.f1.toFixed(2)}`);
      }
      const weight = result.model.config.transitions?.weight ?? 0;
      const bias = result.model.entityBias;
      // The bias is chosen on dev: what it gained there, against the best choice without it.
      const unbiased = result.devWithoutBias;
      const consistency = result.model.consistency;
      const unmixed = result.devWithoutConsistency;
      log(
        `${result.members ? `ensemble of ${result.members.length}: ` : ''}stopped: ${result.stopped}; best epoch ${result.bestEpoch}; transition weight ${weight}; ` +
          `entity bias ${bias}${bias === 0 ? '' : ` (dev F1 ${unbiased.f1.toFixed(2)} without: P ${unbiased.precision.toFixed(2)} R ${unbiased.recall.toFixed(2)})`}; ` +
          `consistency ${consistency}${consistency === 0 ? '' : ` (dev F1 ${unmixed.f1.toFixed(2)} without)`}; ` +
          `dev P ${result.dev.precision.toFixed(2)} R ${result.dev.recall.toFixed(2)} F1 ${result.dev.f1.toFixed(2)}; ${result.seconds.toFixed(1)} s`,
      );
      if (result.test) log(`test: P ${result.test.precision.toFixed(2)} R ${result.test.recall.toFixed(2)} F1 ${result.test.f1.toFixed(2)}`);
      log(`model saved in ${out}`);
      // Ctrl-C keeps the best model so far and exits as a program stopped by SIGINT does.
      return interrupted ? 130 : 0;
    } finally {
      progress.stop();
      process.off('SIGINT', onSigint);
    }
  },
};

/** The gazetteer of --gazetteer FILES and --gazetteer-from-training, or undefined for neither. */
function gazetteerOption(files: string | undefined, fromTraining: boolean): GazetteerFileArgs | undefined {
  if (files === undefined && !fromTraining) return undefined;
  const list = files === undefined ? [] : files.split(',').filter((f) => f !== '');
  if (files !== undefined && list.length === 0) throw usageError('--gazetteer needs at least one file', 'e.g. --gazetteer names.tsv');
  return { ...(list.length > 0 ? { files: list } : {}), ...(fromTraining ? { fromTraining: { minCount: 2, minPurity: 0.8 }, folds: 5 } : {}) };
}
