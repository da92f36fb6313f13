/** `ner calibrate`: fits the temperature of an existing model's scores on dev data. The work is in src/node/calibrate-files.ts. */
import { CONSISTENCY_WEIGHTS, MIN_CONSISTENCY_GAIN } from '../../core/decode/document-consistency.js';
import { usageError } from '../../core/errors.js';
import type { CalibrationResult } from '../../core/eval/calibration.js';
import { calibrateModelDir, describeTemperatureFit } from '../../node/calibrate-files.js';
import { parseCommandArgs } from '../args.js';
import { consistencyOption } from '../consistency-option.js';
import type { Command } from '../command.js';

const HELP = `Usage: ner calibrate --model DIR --dev FILE [--consistency W|auto] [--dry-run]

Calibrates a model's scores: fits the temperature T of its decoder's probabilities on
labelled dev data (the one T that minimises the negative log-likelihood of the gold tags)
and stores it in DIR/model.json, so that entity scores are probabilities one can
threshold (ner tag --min-score). The tags the model predicts do not change. \`ner train\`
and \`ner ensemble --dev\` already do this on their dev set; this is for a model trained
before, or to calibrate on data of your own domain.

  --model DIR  the model folder (its model.json is rewritten atomically; weights,
               vocabularies and any other file in it are left byte for byte as they are)
  --dev FILE   CoNLL file with gold tags in its last column (any tag scheme): dev data,
               never the test set you report
  --consistency W|auto
               also set the document-consistency weight (0..1: how strongly each
               repeated capitalised word's type probabilities are pooled with its other
               occurrences' in the document before decoding; 0: none), or choose it on FILE (auto: the
               best of ${CONSISTENCY_WEIGHTS.join(', ')}, kept when it gains ${MIN_CONSISTENCY_GAIN} F1);
               this one changes the tags. Default: the model's own
  --dry-run    fit and report, but write nothing

Prints T and the entity scores' expected calibration error on FILE before and after.
Exit codes: 0 done, 2 usage error, 1 bad model or input (the message names the file).
`;

export const calibrateCommand: Command = {
  name: 'calibrate',
  summary: 'fit the temperature of a model\'s scores on dev data',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { model: { type: 'string' }, dev: { type: 'string' }, consistency: { type: 'string' }, 'dry-run': { type: 'boolean' } }, 'calibrate');
    if (positionals.length > 0) throw usageError(`unexpected argument "${positionals[0]}"`, 'see `ner calibrate --help`');
    const modelDir = values.model as string | undefined;
    const devFile = values.dev as string | undefined;
    if (!modelDir) throw usageError('missing --model DIR', 'see `ner calibrate --help`');
    if (!devFile) throw usageError('missing --dev FILE', 'see `ner calibrate --help`');
    const consistency = consistencyOption(values.consistency as string | undefined, true);
    const result = await calibrateModelDir({ modelDir, devFile, consistency, dryRun: values['dry-run'] === true });
    const { fit, previous, dev, saved } = result;
    const mixed = result.consistency;
    if (mixed) {
      const f1 = (s: { f1: number }) => s.f1.toFixed(2);
      process.stderr.write(`consistency ${mixed.previous} -> ${mixed.chosen}: dev F1 ${f1(mixed.before)} -> ${f1(mixed.after)}\n`);
    }
    const ece = (c: CalibrationResult) => `${c.ece.toFixed(4)} over ${c.entities} entities`;
    process.stderr.write(`${describeTemperatureFit(fit)}\n`);
    process.stderr.write(`dev entity-score ECE: ${ece(dev.before)} at T=${previous} -> ${ece(dev.after)} at T=${fit.temperature}\n`);
    process.stderr.write(saved ? `saved ${modelDir}\n` : 'dry run: nothing written\n');
    return 0;
  },
};
