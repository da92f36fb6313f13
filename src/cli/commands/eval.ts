/**
 * `ner eval`: scores predictions against gold tags, with the CoNLL evaluation script's
 * figures. This file only parses arguments and prints; the work is in src/eval/.
 */
import { numberOption, parseCommandArgs } from '../args.js';
import { consistencyOption } from '../consistency-option.js';
import type { Command } from '../command.js';
import { DECODERS, type DecoderName } from '../../core/decode/decoders.js';
import { usageError } from '../../core/errors.js';
import type { EvalResult } from '../../core/eval/conlleval.js';
import { formatConllevalReport } from '../../core/eval/report.js';
import { scoreDocuments, tagSequences } from '../../core/eval/score.js';
import { evaluateScoredFile } from '../../node/files/scored-file.js';
import { CONLLEVAL_SCORING, predictConllFile } from '../../node/files/evaluate-with-model.js';
import { analyzeErrors, formatErrorAnalysis } from '../../core/eval/error-analysis.js';
import { calibrationTable, formatCalibrationTable, type CalibrationResult } from '../../core/eval/calibration.js';
import { confusionTable, formatConfusionTable } from '../../core/eval/confusion.js';
import { renderEvalReport } from '../../core/report/eval-report.js';
import { scoreSet } from '../../core/report/scored-set.js';
import { checkReportPath, writeReportFile } from '../../node/files/report-file.js';
import { BUNDLED_MODEL_NAME } from '../../node/storage/bundled-model.js';
import { modelTypes } from '../model-types.js';
import { goldTypes, typeOverlapWarning } from '../type-overlap.js';
import { backendHelp, backendOption } from '../backend-option.js';
import { describeBackend } from '../../node/backend.js';

const HELP = `Usage: ner eval --scored FILE [--json]
       ner eval FILE [--model DIR] [--decoder greedy|viterbi] [--json | --errors] [--calibration] [--report OUT.html]
                 [--backend auto|webgpu|wasm|cpu]

Scores predicted NER tags against gold tags with the figures of the CoNLL evaluation
script (conlleval): entity-level precision, recall and F1 overall and per type, and token
accuracy, for IOB1 and IOB2 tags alike.

  --scored FILE  a CoNLL file whose last two columns are the gold and the predicted tag
                 (what \`ner predict\` writes); no model is involved
  FILE           a CoNLL file with gold tags in its last column, tagged with the model first
                 (to tag a file without gold tags, use \`ner predict\`)
  --model DIR    the model to tag FILE with (default: the bundled model)
${backendHelp(15, ['Named, the backend that runs (and its adapter) goes to stderr.'])}
  --decoder NAME decode with greedy or viterbi instead of the model's own decoder
  --transition-weight W
                 weight of the model's transition scores in viterbi instead of its own
                 (0: the tag-scheme constraints only)
  --consistency W
                 document-consistency weight (0..1) instead of the model's own: how
                 strongly each repeated capitalised word's type probabilities are pooled
                 with its other occurrences' in the document (0: each on its own)
  --errors       after the report, classify entity errors (wrong type, wrong boundary,
                 both, missed, spurious) and print the token confusion table
  --calibration  also print how well the entity scores are calibrated: over the predicted
                 entities, 10 equal-width score bins (entities, mean score, precision: the
                 share exactly right, span and type) and the expected calibration error
                 ECE = sum over bins of |precision - mean score| x the bin's share; with
                 --json as "calibration": {"ece","entities","bins":[{"from","to","count",
                 "meanScore","precision"}]} (precision 0-1 here, null for an empty bin)
  --report OUT.html
                 also write an HTML page with the per-type scores, the error classes and
                 the token confusion table; an existing OUT is replaced only when it is a
                 report ner wrote
  --json         print {"precision","recall","f1","accuracy","tokens","gold","predicted",
                 "correct","types":{TYPE:{...}}} instead of the conlleval text report;
                 percentages are 0-100

Exit codes: 0 scored, 2 usage error, 1 bad input (the message names file:line).
`;

export const evalCommand: Command = {
  name: 'eval',
  summary: 'score predictions against gold tags (CoNLL evaluation)',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(
      argv,
      { scored: { type: 'string' }, model: { type: 'string' }, json: { type: 'boolean' }, decoder: { type: 'string' }, errors: { type: 'boolean' }, 'transition-weight': { type: 'string' }, consistency: { type: 'string' }, report: { type: 'string' }, backend: { type: 'string' }, calibration: { type: 'boolean' } },
      'eval',
    );
    const scored = values.scored as string | undefined;
    let result: EvalResult;
    let calibration: CalibrationResult | undefined;
    if (scored !== undefined) {
      if (positionals.length > 0) throw usageError(`unexpected argument "${positionals[0]}" with --scored`, 'see `ner eval --help`');
      if (values.model !== undefined) throw usageError('--model has no use with --scored: the file already holds the predictions');
      if (values.backend !== undefined) throw usageError('--backend has no use with --scored: no model runs');
      if (values.consistency !== undefined) throw usageError('--consistency has no use with --scored: the file already holds the predictions');
      if (values.errors) throw usageError('--errors needs a model run: use ner eval FILE --errors');
      if (values.calibration) throw usageError('--calibration needs the model\'s scores: use ner eval FILE --calibration');
      if (values.report !== undefined) throw usageError('--report needs a model run: use ner eval FILE --report OUT.html');
      result = await evaluateScoredFile(scored);
    } else {
      if (positionals.length === 0) throw usageError('missing FILE', 'see `ner eval --help`');
      if (positionals.length > 1) throw usageError(`unexpected argument "${positionals[1]}"`, 'see `ner eval --help`');
      const decoder = values.decoder as string | undefined;
      if (decoder !== undefined && !(DECODERS as readonly string[]).includes(decoder)) {
        throw usageError(`--decoder must be one of ${DECODERS.join(', ')}; got "${decoder}"`);
      }
      const weight = values['transition-weight'] as string | undefined;
      const transitionWeight = weight === undefined ? undefined : numberOption(weight, 'transition-weight', 0);
      if (transitionWeight !== undefined && transitionWeight < 0) throw usageError(`--transition-weight must be >= 0, got ${weight}`);
      const consistency = consistencyOption(values.consistency as string | undefined, false);
      const backend = backendOption(values.backend as string | undefined);
      const report = values.report as string | undefined;
      if (report === '') throw usageError('--report needs a file path');
      // A report path that would be refused fails before the model runs.
      if (report !== undefined) await checkReportPath(report);
      const documents = await predictConllFile(positionals[0], values.model as string | undefined, {
        decoder: decoder as DecoderName | undefined,
        transitionWeight,
        consistency,
        backend,
        // A backend asked for by name is confirmed (stdout holds only the scores).
        onBackend: values.backend === undefined ? undefined : (info) => process.stderr.write(`${describeBackend(info)}\n`),
      });
      const warning = typeOverlapWarning(modelTypes(values.model as string | undefined), goldTypes(documents), positionals[0]);
      if (warning) process.stderr.write(`ner eval: ${warning}\n`);
      result = scoreDocuments(documents, CONLLEVAL_SCORING);
      if (values.calibration) calibration = calibrationTable(documents);
      if (report !== undefined) {
        const scores = scoreSet(documents, CONLLEVAL_SCORING);
        await writeReportFile(report, renderEvalReport({ model: (values.model as string | undefined) ?? BUNDLED_MODEL_NAME, file: positionals[0], scores, created: new Date().toISOString() }));
      }
      if (values.errors) {
        if (values.json) throw usageError('--errors prints text tables; drop --json');
        const { gold, predicted } = tagSequences(documents, CONLLEVAL_SCORING);
        process.stdout.write(formatConllevalReport(result));
        process.stdout.write(`\nEntity errors (by gold type; spurious by predicted type):\n${formatErrorAnalysis(analyzeErrors(gold, predicted))}`);
        process.stdout.write(`\nToken confusion (gold down, predicted across):\n${formatConfusionTable(confusionTable(gold, predicted))}`);
        if (calibration) process.stdout.write(calibrationText(calibration));
        return 0;
      }
    }
    if (values.json) process.stdout.write(`${JSON.stringify(calibration ? { ...result, calibration } : result)}\n`);
    else process.stdout.write(formatConllevalReport(result) + (calibration ? calibrationText(calibration) : ''));
    return 0;
  },
};

function calibrationText(calibration: CalibrationResult): string {
  return `\nCalibration of entity scores (precision: exactly right, span and type):\n${formatCalibrationTable(calibration)}`;
}
