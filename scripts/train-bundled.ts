/**
 * The recipe of the bundled model: trains on CoNLL-2003 train, selects on valid, saves to
 * models/conll2003-en, then scores valid and test with the saved model (as `ner eval` does).
 *
 *   CONLL2003_DIR=../shared/corpora/conll2003 npm run train:bundled [-- --ensemble --out DIR --seed N --members N --teacher-file FILE --set key=JSON ...]
 *
 * With `--network`, trains NETWORK_RECIPE alone (the default model without its gazetteer and
 * teacher). With `--members N`, trains N seeds (seed, seed+1, ...) and saves their ensemble (the
 * transition weight chosen again on valid). `--ensemble` trains the second bundled model,
 * models/conll2003-en-ensemble, by ENSEMBLE_RECIPE. `--teacher-file FILE`: distil the saved
 * probabilities in FILE (scripts/first-stage-tags.ts --probabilities) instead of the recipe's teacher.
 */
import '../src/node/runtime.js';
import { overrides } from './set-overrides.js';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatConllevalReport } from '../src/core/eval/report.js';
import { bundledModelDir } from '../src/node/storage/bundled-model.js';
import { evaluateWithModel } from '../src/node/files/evaluate-with-model.js';
import { BUNDLED_RECIPE, ENSEMBLE_MODEL_NAME, ENSEMBLE_RECIPE, NETWORK_RECIPE } from '../src/node/recipe.js';
import { readLabeledDocuments, trainFiles } from '../src/node/train-files.js';
import { buildEnsemble } from '../src/core/train/ensemble.js';
import { loadModel, saveModel } from '../src/node/storage/model-io.js';
import { rm } from 'node:fs/promises';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    seed: { type: 'string' },
    dir: { type: 'string' },
    members: { type: 'string' },
    ensemble: { type: 'boolean' },
    network: { type: 'boolean' },
    set: { type: 'string', multiple: true },
    'teacher-file': { type: 'string' },
  },
});
const dir = values.dir ?? process.env.CONLL2003_DIR;
if (!dir) {
  process.stderr.write('set CONLL2003_DIR to the folder holding train.txt, valid.txt and test.txt (or pass --dir)\n');
  process.exit(2);
}
// --network: NETWORK_RECIPE alone (no gazetteer, no teacher), the baseline of the third round's ablation.
const { members: recipeMembers, ...chosen } = values.ensemble ? ENSEMBLE_RECIPE : { ...(values.network ? NETWORK_RECIPE : BUNDLED_RECIPE), members: 1 };
// --teacher-file: the recipe distils saved (e.g. out-of-fold) probabilities instead of its teacher model.
const { teacher: _teacher, ...untaught } = chosen as typeof chosen & { teacher?: string };
const recipe = values['teacher-file'] ? { ...untaught, teacherFile: values['teacher-file'] } : chosen;
if (values.network && !values.out) {
  process.stderr.write('--network trains a baseline, not a bundled model: give --out DIR\n');
  process.exit(2);
}
const out = values.out ?? bundledModelDir(values.ensemble ? ENSEMBLE_MODEL_NAME : undefined);
const firstSeed = values.seed ? Number(values.seed) : recipe.seed;
const members = values.members ? Number(values.members) : recipeMembers;
const started = performance.now();
// One model, or (--members N) N seeds from `seed` on, trained one after the other and averaged.
const memberDirs = members === 1 ? [out] : Array.from({ length: members }, (_, k) => `${out}.member${k + 1}`);
const lines: string[] = [];
for (const [k, memberOut] of memberDirs.entries()) {
  const result = await trainFiles({
    ...recipe,
    seed: firstSeed + k,
    ...overrides(values.set ?? []),
    trainFile: join(dir, 'train.txt'),
    devFile: join(dir, 'valid.txt'),
    out: memberOut,
    log: (line) => process.stderr.write(`${line}\n`),
    onEpoch: (m) => {
      process.stderr.write(`epoch ${m.epoch}: loss ${m.loss.toFixed(4)} dev F1 ${m.dev.f1.toFixed(2)} ${Math.round(m.windowsPerSecond)} windows/s ${m.seconds.toFixed(1)} s${m.best ? ' (best)' : ''}\n`);
    },
  });
  lines.push(`seed ${firstSeed + k}: best epoch ${result.bestEpoch} of ${result.history.length} (${result.stopped}), dev F1 ${result.dev.f1.toFixed(2)}; backend ${result.backend.name}`);
}
if (members > 1) {
  const models = [];
  for (const d of memberDirs) models.push((await loadModel(d)).model);
  const { model, dev } = await buildEnsemble(models, await readLabeledDocuments(join(dir, 'valid.txt')));
  await saveModel(model, out);
  for (const d of memberDirs) await rm(d, { recursive: true, force: true });
  lines.push(`ensemble of ${members}: dev F1 ${dev!.f1.toFixed(2)} (members ${dev!.members.map((f) => f.toFixed(2)).join(', ')})`);
}
const trainSeconds = (performance.now() - started) / 1000;
for (const split of ['valid', 'test']) {
  const scores = await evaluateWithModel(join(dir, `${split}.txt`), out);
  process.stdout.write(`== ${split} (saved model ${out}) ==\n${formatConllevalReport(scores)}\n`);
}
process.stdout.write(`${lines.join('\n')}\ntraining ${trainSeconds.toFixed(1)} s; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`);
