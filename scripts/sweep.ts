/**
 * A small hyperparameter sweep / ablation on CoNLL-2003: trains one model per configuration
 * (selected on valid by early stopping), then scores valid and test with it. Test is reported,
 * never used to choose. Results are appended to a JSON-lines file as each run ends, and a
 * markdown table of all of them is printed at the end.
 *
 *   CONLL2003_DIR=../shared/corpora/conll2003 node dist/scripts/sweep.js scripts/sweeps/ablation.json [--results FILE] [--only NAME,...]
 *
 * A sweep file is `{ "base": {TrainArgs...}, "runs": [{ "name": "...", ...overrides }] }`.
 */
import '../src/node/runtime.js';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { evaluateModel } from '../src/core/eval/score.js';
import { describeBackend, useBackend } from '../src/node/backend.js';
import type { TrainArgs } from '../src/core/train/train-args.js';
import { train } from '../src/core/train/trainer.js';
import { readLabeledDocuments } from '../src/node/train-files.js';

interface Run extends Partial<TrainArgs> {
  name: string;
}
interface Row {
  name: string;
  seed: number;
  bestEpoch: number;
  dev: number;
  test: number;
  testTypes: Record<string, number>;
  seconds: number;
  args: Partial<TrainArgs>;
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { results: { type: 'string' }, only: { type: 'string' } } });
const dir = process.env.CONLL2003_DIR;
if (!dir || positionals.length !== 1) {
  process.stderr.write('usage: CONLL2003_DIR=... node dist/scripts/sweep.js SWEEP.json [--results FILE] [--only NAME,...]\n');
  process.exit(2);
}
const sweep = JSON.parse(readFileSync(positionals[0], 'utf8')) as { base: Partial<TrainArgs>; runs: Run[] };
const only = values.only ? new Set(values.only.split(',')) : null;
const resultsFile = values.results ?? positionals[0].replace(/\.json$/, '.results.jsonl');
process.stderr.write(`${describeBackend(await useBackend('wasm'))}\n`);
const [trainSet, devSet, testSet] = await Promise.all(['train', 'valid', 'test'].map((s) => readLabeledDocuments(join(dir, `${s}.txt`))));

for (const run of sweep.runs) {
  if (only && !only.has(run.name)) continue;
  const { name, ...overrides } = run;
  const args = { ...sweep.base, ...overrides };
  const started = performance.now();
  const result = await train({
    ...args,
    train: trainSet,
    dev: devSet,
    onEpoch: (m) => {
      process.stderr.write(`[${name}] epoch ${m.epoch} loss ${m.loss.toFixed(4)} dev F1 ${m.dev.f1.toFixed(2)} ${Math.round(m.windowsPerSecond)} w/s${m.best ? ' *' : ''}\n`);
    },
  });
  const dev = await evaluateModel(result.model, devSet);
  const test = await evaluateModel(result.model, testSet);
  const row: Row = {
    name,
    seed: args.seed ?? 1,
    bestEpoch: result.bestEpoch,
    dev: round(dev.f1),
    test: round(test.f1),
    testTypes: Object.fromEntries(Object.entries(test.types).map(([t, s]) => [t, round(s.f1)])),
    seconds: Math.round((performance.now() - started) / 1000),
    args: overrides,
  };
  appendFileSync(resultsFile, `${JSON.stringify(row)}\n`);
  process.stderr.write(`[${name}] dev F1 ${row.dev} test F1 ${row.test} (best epoch ${row.bestEpoch}, ${row.seconds} s)\n`);
}

if (existsSync(resultsFile)) {
  const rows = readFileSync(resultsFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Row);
  process.stdout.write('| run | seed | best epoch | dev F1 | test F1 | PER | LOC | ORG | MISC | seconds |\n|---|---|---|---|---|---|---|---|---|---|\n');
  for (const r of rows) {
    const t = r.testTypes;
    process.stdout.write(`| ${r.name} | ${r.seed} | ${r.bestEpoch} | ${r.dev.toFixed(2)} | ${r.test.toFixed(2)} | ${t.PER} | ${t.LOC} | ${t.ORG} | ${t.MISC} | ${r.seconds} |\n`);
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
