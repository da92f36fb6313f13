/** `ner predict`: appends the model's predicted tag to every token line of a CoNLL file. */
import { usageError } from '../../errors.js';
import { predictFile } from '../../tagger/predict-file.js';
import { Tagger } from '../../tagger/tagger.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';

const HELP = `Usage: ner predict FILE [--model DIR]

Reads a CoNLL file and writes it to stdout with the predicted tag (IOB2) appended as the
last column of every token line; blank lines and -DOCSTART- lines stay where they were, so
the output is what the CoNLL evaluation script reads (token ... gold predicted), and what
\`ner eval --scored\` scores.

  FILE         CoNLL file: token in the first column (any number of columns)
  --model DIR  model directory (default: the bundled model)

Exit codes: 0 done, 2 usage error, 1 bad input or model (the message names file:line).
`;

export const predictCommand: Command = {
  name: 'predict',
  summary: 'append predicted tags to a CoNLL file',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { model: { type: 'string' } }, 'predict');
    if (positionals.length === 0) throw usageError('missing FILE', 'see `ner predict --help`');
    if (positionals.length > 1) throw usageError(`unexpected argument "${positionals[1]}"`, 'see `ner predict --help`');
    const tagger = await Tagger.load(values.model as string | undefined);
    await predictFile(tagger, positionals[0], process.stdout);
    return 0;
  },
};
