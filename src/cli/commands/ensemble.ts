/** `ner ensemble`: averages trained models into one ensemble model. The work is in src/train/ensemble.ts. */
import { NerError, usageError } from '../../core/errors.js';
import { WindowModel } from '../../core/model/window-model.js';
import { openModelOutput } from '../../node/storage/model-dir.js';
import { loadModel, saveModel } from '../../node/storage/model-io.js';
import { useBackend, describeBackend, BACKENDS, type BackendRequest } from '../../node/backend.js';
import { buildEnsemble } from '../../core/train/ensemble.js';
import { readLabeledDocuments } from '../../node/train-files.js';
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
              weight of the transition scores for the ensemble
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
    // --out is checked first (a refused target, unwritable, locked): not after the models load.
    // saveModel checks it again and locks it while it saves.
    await (await openModelOutput(out)).release();
    process.stderr.write(`${describeBackend(await useBackend(backend))}\n`);
    // The dev file first: a bad path should not wait for several models to load.
    const dev = values.dev ? await readLabeledDocuments(values.dev as string) : undefined;
    const members: WindowModel[] = [];
    for (const dir of positionals) {
      const member = (await loadModel(dir)).model;
      if (members.length > 0) checkFits(members[0], positionals[0], member, dir);
      members.push(member);
    }
    const { model, dev: scores } = buildEnsemble(members, dev);
    if (scores) {
      // A MODEL that is itself an ensemble counts as its members.
      const named = scores.members.length === positionals.length;
      scores.members.forEach((f1, i) => process.stderr.write(`member ${i + 1}${named ? ` (${positionals[i]})` : ''}: dev F1 ${f1.toFixed(2)}\n`));
      const weight = model.config.transitions?.weight ?? 0;
      process.stderr.write(`ensemble of ${model.memberCount}: dev F1 ${scores.f1.toFixed(2)} (transition weight ${weight})\n`);
    }
    await saveModel(model, out);
    process.stderr.write(`saved ${out}\n`);
    return 0;
  },
};

/**
 * A member that cannot be averaged with the first (other features, tags or vocabularies) is
 * a bad model, exit code 1, named by its folder.
 */
function checkFits(first: WindowModel, firstDir: string, member: WindowModel, dir: string): void {
  try {
    WindowModel.ensemble([first, member]);
  } catch (err) {
    if (!(err instanceof NerError)) throw err;
    // WindowModel.ensemble names members by number; name them by folder instead.
    const raw = err.hint ? err.message.slice(0, -` (${err.hint})`.length) : err.message;
    const what = /^ensemble member \d+ has (.*) than member 1$/.exec(raw);
    const message = what ? `has ${what[1]} than ${firstDir}, so the two cannot be averaged` : `cannot be averaged with ${firstDir}: ${raw}`;
    throw new NerError('E_MODEL', message, {
      file: dir,
      hint: 'the members of an ensemble must be trained on the same data with the same features and vectors',
    });
  }
}
