/**
 * Out-of-fold predictions of CoNLL-2003 train: each of k contiguous folds tagged by the bundled
 * recipe (BUNDLED_RECIPE: its gazetteer and teacher included; without docpred) trained on the
 * other folds, early-stopped on valid. Two outputs of the same fold models:
 *   --out FILE.json: the tags, a JSON array of tag arrays, one per training sentence, for a
 *     two-stage model (feature docpred, `firstStageFile`);
 *   --probabilities FILE: the network's tag probabilities of every training token
 *     (teacher-probabilities.ts), an out-of-fold teacher for distillation (`teacherFile`).
 *
 *   CONLL2003_DIR=... node dist/scripts/first-stage-tags.js --out oof.json [--probabilities oof.probs] [--folds 3] [--network] [--set key=JSON ...]
 *   CONLL2003_DIR=... npm run train:bundled -- --out DIR --set 'features=[..., {"name":"docpred","dim":4}]' --set firstStageFile='"oof.json"'
 *   CONLL2003_DIR=... npm run train:bundled -- --out DIR --set teacher=null --set teacherFile='"oof.probs"'
 *
 * Folds in separate processes (at most k trainings at once): `--fold N` trains fold N only and
 * writes FILE.foldN (and PROBS.foldN); `--merge` then joins FILE.fold1..k into FILE (no training).
 * `--network`: the first stage is NETWORK_RECIPE (no gazetteer, no teacher), as in the second round.
 *
 * The files hold tags and numbers only (no words), but of a licensed corpus: keep them out of the repository.
 */
import '../src/node/runtime.js';
import { overrides } from './set-overrides.js';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { copyDocuments, sentencesOf } from '../src/core/document/document.js';
import { scoreDocuments } from '../src/core/eval/score.js';
import { outOfFoldPredictions, type FoldPredictions } from '../src/core/train/first-stage.js';
import { decodeTeacherProbabilities, encodeTeacherProbabilities } from '../src/core/train/teacher-probabilities.js';
import { train } from '../src/core/train/trainer.js';
import { useBackend } from '../src/node/backend.js';
import { BUNDLED_RECIPE, NETWORK_RECIPE } from '../src/node/recipe.js';
import { loadTrainingAids, readLabeledDocuments, type TrainFilesArgs } from '../src/node/train-files.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    probabilities: { type: 'string' },
    folds: { type: 'string' },
    fold: { type: 'string' },
    merge: { type: 'boolean' },
    network: { type: 'boolean' },
    dir: { type: 'string' },
    set: { type: 'string', multiple: true },
  },
});
const dir = values.dir ?? process.env.CONLL2003_DIR;
if (!dir || !values.out) {
  process.stderr.write('usage: CONLL2003_DIR=... first-stage-tags --out FILE.json [--probabilities FILE] [--folds K] [--fold N | --merge] [--network] [--set key=JSON ...]\n');
  process.exit(2);
}
const out = values.out;
const k = values.folds ? Number(values.folds) : 3;
const started = performance.now();
const trainSet = await readLabeledDocuments(join(dir, 'train.txt'));

const folds: FoldPredictions[] = values.merge ? await readParts() : await trainFolds();
if (values.fold) {
  const n = Number(values.fold);
  await writeOutputs(folds, `.fold${n}`);
  process.stdout.write(`fold ${n} of ${k}: ${folds[0].tags.length} sentences, ${((performance.now() - started) / 1000).toFixed(0)} s -> ${out}.fold${n}\n`);
} else {
  const tags = folds.flatMap((f) => f.tags);
  // How good the first stage is on train (out of fold): what the second stage learns to trust.
  const scored = copyDocuments(trainSet);
  const sentences = sentencesOf(scored);
  if (tags.length !== sentences.length) throw new Error(`the folds hold ${tags.length} sentences, train has ${sentences.length}`);
  sentences.forEach((s, i) => (s.predicted = tags[i]));
  await writeOutputs(folds, '');
  process.stdout.write(`${tags.length} sentences, out-of-fold train F1 ${scoreDocuments(scored).f1.toFixed(2)}, ${((performance.now() - started) / 1000).toFixed(0)} s -> ${out}${values.probabilities ? ` and ${values.probabilities}` : ''}\n`);
}

/** Trains the folds (all, or --fold N) with the recipe's teacher (model or teacherFile) and gazetteer, loaded as trainFiles loads them. */
async function trainFolds(): Promise<FoldPredictions[]> {
  const { backend, teacher, teacherFile, gazetteer, ...recipe } = { ...(values.network ? NETWORK_RECIPE : BUNDLED_RECIPE), ...overrides(values.set ?? []) } as TrainFilesArgs;
  await useBackend(backend);
  const devSet = await readLabeledDocuments(join(dir!, 'valid.txt'));
  const aids = await loadTrainingAids({ teacher, teacherFile, gazetteer }, (line) => void process.stderr.write(`${line}\n`));
  const only = values.fold ? [Number(values.fold) - 1] : undefined;
  let fold = only ? only[0] : 0;
  return outOfFoldPredictions({ ...recipe, ...aids, train: trainSet, dev: devSet }, k, (args) =>
    train({
      ...args,
      onEpoch: (m) => void process.stderr.write(`fold ${fold + 1} epoch ${m.epoch}: dev F1 ${m.dev.f1.toFixed(2)}${m.best ? ' (best)' : ''}\n`),
    }).finally(() => fold++),
  only);
}

/** The folds written by `--fold 1` ... `--fold k`, in order. */
async function readParts(): Promise<FoldPredictions[]> {
  const parts: FoldPredictions[] = [];
  for (let n = 1; n <= k; n++) {
    const tags = JSON.parse(await readFile(`${out}.fold${n}`, 'utf8')) as string[][];
    const probs = values.probabilities ? decodeTeacherProbabilities(await readFile(`${values.probabilities}.fold${n}`), `${values.probabilities}.fold${n}`) : undefined;
    parts.push({ fold: n - 1, tags, probabilities: probs?.probabilities ?? new Float32Array(), tagOrder: probs?.tags ?? [] });
  }
  return parts;
}

/** The tags JSON and (with --probabilities) the probabilities, columns in the first fold's tag order. */
async function writeOutputs(parts: readonly FoldPredictions[], suffix: string): Promise<void> {
  await writeFile(`${out}${suffix}`, JSON.stringify(parts.flatMap((f) => f.tags)));
  if (!values.probabilities) return;
  const tags = parts[0].tagOrder;
  const rows = parts.map((f) => {
    const column = tags.map((t) => f.tagOrder.indexOf(t));
    if (f.tagOrder.length !== tags.length || column.includes(-1)) throw new Error(`fold ${f.fold + 1}'s tags ${f.tagOrder.join(',')} differ from ${tags.join(',')}`);
    const n = f.probabilities.length / tags.length;
    const p = new Float32Array(f.probabilities.length);
    for (let i = 0; i < n; i++) for (let j = 0; j < tags.length; j++) p[i * tags.length + j] = f.probabilities[i * tags.length + column[j]];
    return p;
  });
  const all = new Float32Array(rows.reduce((s, r) => s + r.length, 0));
  let at = 0;
  for (const r of rows) all.set(r, (at += r.length) - r.length);
  await writeFile(`${values.probabilities}${suffix}`, encodeTeacherProbabilities({ tags, probabilities: all }));
}
