/** `ner predict`: appends the model's predicted tag to every token line of a CoNLL file. */
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { fileReadError, usageError } from '../../core/errors.js';
import { predictFile } from '../../node/files/predict-file.js';
import { Tagger } from '../../core/tagger/tagger.js';
import { TaggerPool } from '../../node/workers/tagger-pool.js';
import { closedByReader } from '../../node/write-chunks.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { workersOption } from '../workers-option.js';
import { backendHelp, backendOption, workersForBackend } from '../backend-option.js';
import { minScoreOption } from '../min-score-option.js';
import { withMinScore } from '../../core/tagger/min-score.js';
import { createProgress } from '../progress.js';
import { streamStatus } from '../stream-progress.js';
import { describeBytes } from '../../core/text/input-lines.js';
import { PARALLEL_FROM_BYTES } from './tag.js';

const HELP = `Usage: ner predict FILE [--model DIR] [--workers N] [--min-score X] [--backend auto|webgpu|wasm|cpu]

Reads a CoNLL file and writes it to stdout with the predicted tag (IOB2) appended as the
last column of every token line; blank lines and -DOCSTART- lines stay where they were.
For a file with gold tags in its last column, the output is what the CoNLL evaluation
script reads (token ... gold predicted), and what \`ner eval --scored\` scores.

  FILE         CoNLL file: the token in the first column, then any other columns (the
               same number on every token line). It needs no gold tag column: a
               token-only file, or one whose last column is a POS tag, is tagged too.
               Lines may end in \\n, \\r\\n or \\r alone; the output's end in \\n.
  --model DIR  model directory (default: the bundled model)
  --workers N  worker threads predicting in parallel, each with the model loaded; from 1 to
               the number of cores (default: one per core for a FILE of ${describeBytes(PARALLEL_FROM_BYTES)} or more,
               else 1); the output is the same whatever N
  --min-score X  drop entities scored below X (0 to 1): their tokens get the tag O, the
               output format unchanged. Scores are calibrated probabilities (see ner
               calibrate): with 0.8, the entities kept are right about 80% of the time
               or more
${backendHelp(13)}

Exit codes: 0 done, 2 usage error, 1 bad input or model (the message names file:line), or
a backend asked for by name that cannot start.
`;

export const predictCommand: Command = {
  name: 'predict',
  summary: 'append predicted tags to a CoNLL file',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { model: { type: 'string' }, workers: { type: 'string' }, 'min-score': { type: 'string' }, backend: { type: 'string' } }, 'predict');
    if (positionals.length === 0) throw usageError('missing FILE', 'see `ner predict --help`');
    if (positionals.length > 1) throw usageError(`unexpected argument "${positionals[1]}"`, 'see `ner predict --help`');
    const backend = backendOption(values.backend as string | undefined);
    const requestedWorkers = workersForBackend(backend, workersOption(values.workers as string | undefined));
    const minScore = minScoreOption(values['min-score'] as string | undefined);
    const file = positionals[0];
    const modelDir = values.model as string | undefined;
    // The file's size decides the default; a missing file fails here, before a model loads.
    const bytes = (await stat(file).catch((err: unknown) => { throw fileReadError(err, file); })).size;
    const workers = requestedWorkers ?? (bytes >= PARALLEL_FROM_BYTES ? availableParallelism() : 1);
    const progress = await createProgress();
    progress.update(`loading ${modelDir === undefined ? 'the bundled model' : `the model ${modelDir}`}${workers > 1 ? ` on ${workers} workers` : ''}`);
    const tagger = await (workers > 1 ? TaggerPool.start({ modelDir, workers, backend }) : Tagger.load(modelDir, { backend })).finally(() => progress.stop());
    try {
      const onProgress = progress.interactive ? streamStatus(progress, 'predicted', bytes) : undefined;
      await predictFile(withMinScore(tagger, minScore), file, process.stdout, { inFlight: workers, onProgress });
    } catch (err) {
      if (closedByReader(err)) return 0; // `ner predict ... | head`: the reader has all it wants
      throw err;
    } finally {
      progress.stop();
      if (tagger instanceof TaggerPool) await tagger.close();
    }
    return 0;
  },
};
