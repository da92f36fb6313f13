/**
 * Out-of-fold first-stage tags of CoNLL-2003 train for a two-stage model (feature docpred):
 * each of k contiguous folds tagged by the bundled recipe (without docpred) trained on the
 * other folds, early-stopped on valid. Saved as a JSON array of tag arrays, one per training
 * sentence, so that several seeds of the second stage share one first stage:
 *
 *   CONLL2003_DIR=... node dist/scripts/first-stage-tags.js --out /tmp/oof.json [--folds 3] [--set key=JSON ...]
 *   CONLL2003_DIR=... npm run train:bundled -- --out DIR --set 'features=[..., {"name":"docpred","dim":4}]' --set firstStageFile='"/tmp/oof.json"'
 *
 * The file holds tags only (no words), but of a licensed corpus: keep it out of the repository.
 */
import '../src/node/runtime.js';
import { overrides } from './set-overrides.js';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { copyDocuments, sentencesOf } from '../src/core/document/document.js';
import { scoreDocuments } from '../src/core/eval/score.js';
import { firstStageTags } from '../src/core/train/first-stage.js';
import { train } from '../src/core/train/trainer.js';
import { useBackend } from '../src/node/backend.js';
import { NETWORK_RECIPE } from '../src/node/recipe.js';
import { readLabeledDocuments } from '../src/node/train-files.js';

const { values } = parseArgs({ options: { out: { type: 'string' }, folds: { type: 'string' }, dir: { type: 'string' }, set: { type: 'string', multiple: true } } });
const dir = values.dir ?? process.env.CONLL2003_DIR;
if (!dir || !values.out) {
  process.stderr.write('usage: CONLL2003_DIR=... first-stage-tags --out FILE.json [--folds K] [--set key=JSON ...]\n');
  process.exit(2);
}
const started = performance.now();
const { backend, ...recipe } = { ...NETWORK_RECIPE, ...overrides(values.set ?? []) };
await useBackend(backend);
const [trainSet, devSet] = await Promise.all([readLabeledDocuments(join(dir, 'train.txt')), readLabeledDocuments(join(dir, 'valid.txt'))]);
let fold = 0;
const tags = await firstStageTags({ ...recipe, train: trainSet, dev: devSet, firstStage: { folds: values.folds ? Number(values.folds) : undefined } }, (args) =>
  train({
    ...args,
    onEpoch: (m) => void process.stderr.write(`fold ${fold + 1} epoch ${m.epoch}: dev F1 ${m.dev.f1.toFixed(2)}${m.best ? ' (best)' : ''}\n`),
  }).finally(() => fold++),
);
// How good the first stage is on train (out of fold): what the second stage learns to trust.
const scored = copyDocuments(trainSet);
sentencesOf(scored).forEach((s, i) => (s.predicted = tags[i]));
await writeFile(values.out, JSON.stringify(tags));
process.stdout.write(`${tags.length} sentences, out-of-fold train F1 ${scoreDocuments(scored).f1.toFixed(2)}, ${((performance.now() - started) / 1000).toFixed(0)} s -> ${values.out}\n`);
