/** `ner ensemble`: averages trained models into one ensemble model. The work is in src/train/ensemble.ts. */
import { usageError } from '../../core/errors.js';
import { BACKENDS, type BackendRequest } from '../../core/runtime.js';
import { useBackend, describeBackend } from '../../node/backend.js';
import { ensembleFiles } from '../../node/ensemble-files.js';
import { describeTemperatureFit } from '../../node/calibrate-files.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { oneOf } from '../train-options.js';

const HELP = `Usage: ner ensemble MODEL MODEL... --out DIR [--dev FILE] [--backend NAME]

Averages the tag probabilities of several models into one ensemble model, saved in DIR and
used like any other (ner tag, eval, predict, Tagger.load). The models must be trained on the
same data with the same features (e.g. \`ner train\` with different --seed), so that they share
their vocabularies. Each member costs its own network pass when tagging.

  MODEL       model directories (two or more)
  --out DIR   where to save the ensemble: a new path, an empty folder or a model folder
              (anything else is refused untouched)
  --dev FILE  CoNLL file to report each member's and the ensemble's F1 on, and to choose the
              weight of the transition scores for the ensemble, and to fit the temperature
              of its averaged probabilities (see ner calibrate)
  --backend   ${BACKENDS.join('|')} (default auto)

Exit codes: 0 saved, 2 usage error, 1 bad model or input (the message says which).
`;

export const ensembleCommand: Command = {
  name: 'ensemble',
  summary: 'average several trained models into one',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { out: { type: 'string' }, dev: { type: 'string' }, backend: { type: 'string' } }, 'ensemble');
    if (positionals.length < 2) throw usageError('give two or more model directories', 'see `ner ensemble --help`');
    const out = values.out as string | undefined;
    if (!out) throw usageError('missing --out DIR', 'see `ner ensemble --help`');
    const backend = oneOf(values.backend as string | undefined, BACKENDS, 'backend', 'auto') as BackendRequest;
    process.stderr.write(`${describeBackend(await useBackend(backend))}\n`);
    const { model, dev: scores, calibration } = await ensembleFiles({ models: positionals, out, devFile: values.dev as string | undefined });
    if (scores) {
      // A MODEL that is itself an ensemble counts as its members.
      const named = scores.members.length === positionals.length;
      scores.members.forEach((f1, i) => process.stderr.write(`member ${i + 1}${named ? ` (${positionals[i]})` : ''}: dev F1 ${f1.toFixed(2)}\n`));
      const weight = model.config.transitions?.weight ?? 0;
      process.stderr.write(`ensemble of ${model.memberCount}: dev F1 ${scores.f1.toFixed(2)} (transition weight ${weight}, entity bias ${model.entityBias}, consistency ${model.consistency})\n`);
      if (calibration) process.stderr.write(`${describeTemperatureFit(calibration)}\n`);
    }
    process.stderr.write(`saved ${out}\n`);
    return 0;
  },
};
