/**
 * The recipe of the bundled model: trains on CoNLL-2003 train, selects on valid, saves to
 * models/conll2003-en, then scores valid and test with the saved model (as `ner eval` does).
 *
 *   CONLL2003_DIR=../shared/corpora/conll2003 npm run train:bundled [-- --out DIR --seed N --set key=JSON ...]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatConllevalReport } from '../src/eval/report.js';
import { bundledModelDir } from '../src/storage/bundled-model.js';
import { evaluateWithModel } from '../src/tagger/evaluate-with-model.js';
import { BUNDLED_RECIPE } from '../src/train/recipe.js';
import { trainFiles } from '../src/train/train-files.js';

const { values } = parseArgs({
  options: { out: { type: 'string' }, seed: { type: 'string' }, dir: { type: 'string' }, set: { type: 'string', multiple: true } },
});
const dir = values.dir ?? process.env.CONLL2003_DIR;
if (!dir) {
  process.stderr.write('set CONLL2003_DIR to the folder holding train.txt, valid.txt and test.txt (or pass --dir)\n');
  process.exit(2);
}
const out = values.out ?? bundledModelDir();
const started = performance.now();
const result = await trainFiles({
  ...BUNDLED_RECIPE,
  seed: values.seed ? Number(values.seed) : BUNDLED_RECIPE.seed,
  ...overrides(values.set ?? []),
  trainFile: join(dir, 'train.txt'),
  devFile: join(dir, 'valid.txt'),
  out,
  log: (line) => process.stderr.write(`${line}\n`),
  onEpoch: (m) => {
    process.stderr.write(`epoch ${m.epoch}: loss ${m.loss.toFixed(4)} dev F1 ${m.dev.f1.toFixed(2)} ${Math.round(m.windowsPerSecond)} windows/s ${m.seconds.toFixed(1)} s${m.best ? ' (best)' : ''}\n`);
  },
});
const trainSeconds = (performance.now() - started) / 1000;
for (const split of ['valid', 'test']) {
  const scores = await evaluateWithModel(join(dir, `${split}.txt`), out);
  process.stdout.write(`== ${split} (saved model ${out}) ==\n${formatConllevalReport(scores)}\n`);
}
process.stdout.write(
  `best epoch ${result.bestEpoch} of ${result.history.length} (${result.stopped}); training ${trainSeconds.toFixed(1)} s; ` +
    `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; backend ${result.backend.name}\n`,
);

/** `--set key=JSON` pairs (e.g. `--set sharedDropoutMask=true --set hidden=[500]`): recipe variants for experiments. */
function overrides(pairs: string[]): Record<string, unknown> {
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new Error(`--set takes key=JSON, got "${pair}"`);
      return [pair.slice(0, at), JSON.parse(pair.slice(at + 1))];
    }),
  );
}
