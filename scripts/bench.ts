/**
 * The speed bench of issue #5: training throughput of the recipe's model per backend with a
 * breakdown of a step, tagging throughput from raw text to JSON, `ner eval` wall time, cold
 * start of `ner tag` (also through ./node_modules/.bin/ner and npx), `ner tag --input FILE
 * --format jsonl` on CoNLL train's sentences with 1 and 2 workers, and peak memory; median [min - max] over repeats, a table on stdout
 * and a JSON file for tracking. Text and training windows come from CONLL2003_DIR, read at
 * run time; nothing derived from the corpus is written except figures.
 *
 *   npm run build
 *   CONLL2003_DIR=../shared/corpora/conll2003 npm run bench -- [--model DIR] [--backends cpu,wasm,webgpu]
 *       [--repeats N] [--quick] [--out FILE]
 *
 * Numbers from a shared machine are noisy: compare ratios within one run.
 */
import '../src/node/runtime.js';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readConll } from '../src/node/files/conll-files.js';
import { NerError } from '../src/core/errors.js';
import { BACKENDS, type BackendRequest } from '../src/node/backend.js';
import { bundledModelDir } from '../src/node/storage/bundled-model.js';
import { NETWORK_RECIPE } from '../src/node/recipe.js';
import { matMulKernel } from '../src/core/model/kernels/matmul.js';
import { benchCliFile, formatCliFile, type CliFileFigures } from './bench/cli-file.js';
import { benchCli, CLI_MAIN, type CommandFigures } from './bench/cli-runs.js';
import { firstDocs, textFromCorpora } from './bench/conll-text.js';
import { formatStat, num, type Stat } from './bench/stats.js';
import { benchTagging, TAG_STAGES, type TaggingFigures } from './bench/tagging.js';
import { benchPoolTagging, type PoolTaggingFigures } from './bench/tagging-workers.js';
import { benchTraining, prepareTraining, STEP_PHASES, type TrainingFigures } from './bench/training.js';

const USAGE = `Usage: CONLL2003_DIR=DIR npm run bench -- [options]

  --model DIR        model to tag with (default: the bundled model, models/conll2003-en)
  --backends LIST    comma-separated, from cpu, wasm, webgpu (default: all three)
  --repeats N        timed repeats of every figure (default 5; at least 1)
  --quick            fewer training steps and less text
  --gpu-batches LIST batch sizes webgpu trains at (default 512,8192: a GPU wants big batches)
  --out FILE         JSON results (default bench-results.json)
`;

type Backend = Exclude<BackendRequest, 'auto'>;
type Unavailable = { backend: Backend; available: false; reason: string };

/** Tagging through the library's worker pool (TaggerPool), with 1 worker and with one per core. */
interface AllCores {
  backend: string | null;
  cores: number;
  pools: PoolTaggingFigures[];
  note: string;
}

/** Everything one run measured: the JSON file holds exactly this. */
interface BenchResults {
  meta: {
    date: string;
    commit: string | null;
    node: string;
    cpus: number;
    cpuModel: string;
    /** Training's matrix products on the host: which kernel (kernels/matmul.ts) runs here. */
    hostProducts: string;
    loadavgAtStart: number[];
    loadavgAtEnd: number[];
    seconds: number;
    model: string;
    corpus: string;
    repeats: number;
    quick: boolean;
    text: { source: string; documents: number; conllTokens: number };
    recipe: { features: string; window: number; hidden: number[]; activation: string; optimizer: string; batchSize: number };
  };
  training: { backends: (TrainingFigures | Unavailable)[] };
  tagging: { backends: (TaggingFigures | Unavailable)[]; allCores: AllCores };
  cli: {
    backend: string;
    eval: CommandFigures & { f1: number };
    coldStart: CommandFigures;
    /** The same cold start through the bins users call: an installed ./node_modules/.bin/ner, npx. */
    coldStartBins: (CommandFigures | { command: string; skipped: string })[];
    file: CliFileFigures;
    cli: string;
  };
  memoryMiB: Record<string, number>;
}

function usage(message: string): never {
  process.stderr.write(`bench: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function log(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

function parseOptions() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        model: { type: 'string' },
        backends: { type: 'string', default: 'cpu,wasm,webgpu' },
        repeats: { type: 'string', default: '5' },
        quick: { type: 'boolean', default: false },
        'gpu-batches': { type: 'string', default: '512,8192' },
        out: { type: 'string', default: 'bench-results.json' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    usage((err as Error).message);
  }
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const backends = v.backends!.split(',').map((b) => b.trim()).filter(Boolean);
  for (const b of backends) {
    if (b === 'auto' || !(BACKENDS as readonly string[]).includes(b)) usage(`unknown backend "${b}": choose from cpu, wasm, webgpu`);
  }
  const repeats = Number(v.repeats);
  if (!Number.isInteger(repeats) || repeats < 1) usage(`--repeats must be a positive integer, got "${v.repeats}"`);
  const dir = process.env.CONLL2003_DIR;
  if (!dir) usage('set CONLL2003_DIR to the folder holding train.txt, valid.txt and test.txt (in this repository: ../shared/corpora/conll2003)');
  for (const f of ['train.txt', 'valid.txt', 'test.txt']) if (!existsSync(join(dir, f))) usage(`CONLL2003_DIR=${dir} has no ${f}`);
  const model = resolve(v.model ?? bundledModelDir());
  if (!existsSync(join(model, 'model.json'))) {
    usage(`no model in ${model}${v.model ? '' : ' (the bundled model is not built yet)'}: pass --model DIR, e.g. one from\n` +
      `  node dist/src/cli/main.js train --train $CONLL2003_DIR/train.txt --dev $CONLL2003_DIR/valid.txt --out /tmp/bench-model --epochs 1`);
  }
  const gpuBatches = v['gpu-batches']!.split(',').map(Number);
  if (gpuBatches.some((b) => !Number.isInteger(b) || b < 1)) usage(`--gpu-batches must be positive integers, got "${v['gpu-batches']}"`);
  return { dir, model, backends: [...new Set(backends)] as Backend[], repeats, quick: v.quick!, gpuBatches, out: resolve(v.out!) };
}

/** Steps per repeat and text size: cpu is ~100x slower than wasm, so it gets far less work. */
function budget(backend: Backend, quick: boolean) {
  const slow = backend === 'cpu';
  return {
    warmup: slow ? 1 : 5,
    // Steps of batch 512 last ~20 ms: 150 make a repeat of ~3 s, long enough to even out a busy moment.
    steps: slow ? (quick ? 2 : 4) : quick ? 20 : 150,
    tagTokens: slow ? (quick ? 1_500 : 4_000) : Infinity,
  };
}

/** Runs one backend's measurement; a backend that does not load becomes a row saying why. */
async function attempt<T>(backend: Backend, run: () => Promise<T>): Promise<T | Unavailable> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof NerError && err.code === 'E_BACKEND')) throw err;
    // The message without its hint, and without the "the X backend is not available:" lead.
    const core = err.hint ? err.message.slice(0, err.message.length - err.hint.length - 3) : err.message;
    const why = core.replace(/^the \w+ backend (cannot start|failed to start): /, '');
    return { backend, available: false, reason: why };
  }
}

/** The commit measured, marked when src/ has uncommitted changes (the figures are then of those). */
function gitCommit(): string | null {
  const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--', 'src') ? '+uncommitted-src' : ''}`;
  } catch {
    return null;
  }
}

const rssMiB = () => process.resourceUsage().maxRSS / 1024;

async function main(): Promise<void> {
  const o = parseOptions();
  const started = performance.now();
  const meta = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    node: process.version,
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    hostProducts: describeHostProducts(),
    loadavgAtStart: loadavg().map((x) => Number(x.toFixed(2))),
    model: o.model,
    corpus: o.dir,
    repeats: o.repeats,
    quick: o.quick,
    text: { source: o.quick ? 'test' : 'test+valid', documents: 0, conllTokens: 0 },
    recipe: {
      features: NETWORK_RECIPE.features.map((f) => `${f.name}:${f.dim}`).join(','),
      window: NETWORK_RECIPE.window,
      hidden: NETWORK_RECIPE.hidden,
      activation: NETWORK_RECIPE.activation,
      optimizer: NETWORK_RECIPE.optimizer,
      batchSize: NETWORK_RECIPE.batchSize,
    },
  };

  log('reading the corpora and building the text');
  const [testCorpus, validCorpus] = await Promise.all([readConll(join(o.dir, 'test.txt')), readConll(join(o.dir, 'valid.txt'))]);
  const text = textFromCorpora(o.quick ? [testCorpus] : [testCorpus, validCorpus]);
  meta.text = { ...meta.text, documents: text.docs.length, conllTokens: text.conllTokens };

  const training: (TrainingFigures | Unavailable)[] = [];
  const tagging: (TaggingFigures | Unavailable)[] = [];
  const memory: Record<string, number> = {};

  // Tagging first, so that the bench's peak memory after it is that of tagging alone.
  for (const backend of o.backends) {
    const b = budget(backend, o.quick);
    const docs = Number.isFinite(b.tagTokens) ? firstDocs(text.docs, b.tagTokens) : text.docs;
    log(`tagging on ${backend}: ${docs.length} documents x ${o.repeats}`);
    tagging.push(await attempt(backend, () => benchTagging(o.model, backend, docs, o.repeats)));
  }
  memory.afterTagging = rssMiB();

  log('preparing training data (vectors, vocabularies, windows)');
  const data = await prepareTraining(join(o.dir, 'train.txt'));
  memory.afterTrainingSetup = rssMiB();
  // The cpu backend trains last: after its runs, wasm steps in the same process measured
  // ~20% slower (23.8k against 29.4k windows/s on two threads in this project's runs).
  const trainingOrder = [...o.backends.filter((b) => b !== 'cpu'), ...o.backends.filter((b) => b === 'cpu')];
  for (const backend of trainingOrder) {
    const b = budget(backend, o.quick);
    // A device step runs on one thread; there the figure that matters is windows/s against batch size.
    const runs = backend === 'webgpu' ? o.gpuBatches.map((batch) => ({ threads: 1, batch })) : (availableParallelism() >= 2 ? [1, 2] : [1]).map((threads) => ({ threads, batch: undefined }));
    for (const { threads, batch } of runs) {
      log(`training on ${backend}, ${threads} thread(s)${batch ? `, batch ${batch}` : ''}: ${b.warmup} warm-up + ${o.repeats} x ${b.steps} steps`);
      training.push(await attempt(backend, () => benchTraining(data, backend, threads, { warmup: b.warmup, steps: b.steps, repeats: o.repeats }, batch)));
      if (!('threads' in training.at(-1)!)) break; // the backend did not load
    }
  }
  memory.afterTraining = rssMiB();

  // All cores through the library's TaggerPool, and the same with one worker to show its overhead.
  const fast = tagging.find((t): t is TaggingFigures => 'tokens' in t && t.backend !== 'cpu');
  const cores = availableParallelism();
  const pools: PoolTaggingFigures[] = [];
  if (fast) {
    for (const workers of [...new Set([1, cores])]) {
      for (const mode of ['objects', 'jsonl'] as const) {
        log(`tagging on ${fast.backend} with TaggerPool, ${workers} worker(s), ${mode} x ${o.repeats}`);
        pools.push(await benchPoolTagging(o.model, fast.backend as Backend, text.docs, fast.tokens, workers, o.repeats, mode));
      }
    }
  }
  const allCores: AllCores = { backend: fast?.backend ?? null, cores, pools, note: fast ? '' : 'no backend but cpu loaded: skipped' };

  const testFile = join(o.dir, 'test.txt');
  log(`ner eval test.txt x ${o.repeats} (+1 unrecorded)`);
  const evalRuns = await benchCli('ner eval $CONLL2003_DIR/test.txt --json', ['eval', testFile, '--model', o.model, '--json'], o.repeats);
  const evalF1 = (JSON.parse(evalRuns.last.stdout) as { f1: number }).f1;
  log(`ner tag "short text" x ${o.repeats} (+1 unrecorded)`);
  const tagRuns = await benchCli('ner tag "Angela Merkel met Emmanuel Macron in Paris."', ['tag', 'Angela Merkel met Emmanuel Macron in Paris.', '--model', o.model], o.repeats);
  const shortText = ['tag', 'Angela Merkel met Emmanuel Macron in Paris.', '--model', o.model];
  const coldStartBins: BenchResults['cli']['coldStartBins'] = [];
  const installed = resolve('node_modules/.bin/ner');
  if (existsSync(installed)) {
    log(`./node_modules/.bin/ner tag "short text" x ${o.repeats} (+1 unrecorded)`);
    coldStartBins.push(await benchCli('./node_modules/.bin/ner tag "short text"', shortText, o.repeats, [installed]));
  } else {
    coldStartBins.push({ command: './node_modules/.bin/ner tag "short text"', skipped: `no ${installed} (the package is not installed as a dependency here)` });
  }
  log(`npx --no-install ner tag "short text" x ${o.repeats} (+1 unrecorded)`);
  coldStartBins.push(await benchCli('npx --no-install ner tag "short text"', shortText, o.repeats, ['npx', '--no-install', 'ner']));
  log(`ner tag --input FILE --format jsonl, 1 and 2 workers x ${o.repeats} (+1 unrecorded)`);
  const cliFile = await benchCliFile(join(o.dir, 'train.txt'), o.model, o.repeats, o.quick);
  // The CLI runs with --backend auto: webgpu on a hardware adapter, else wasm.
  const gpu = tagging.find((t) => t.backend === 'webgpu');
  const cliBackend = gpu && 'available' in gpu ? 'auto, i.e. wasm (webgpu not available)' : 'auto';
  memory.benchProcessPeak = rssMiB();

  const results: BenchResults = {
    meta: { ...meta, loadavgAtEnd: loadavg().map((x) => Number(x.toFixed(2))), seconds: (performance.now() - started) / 1000 },
    training: { backends: training },
    tagging: { backends: tagging, allCores },
    cli: {
      backend: cliBackend, eval: { ...strip(evalRuns), f1: evalF1 }, coldStart: strip(tagRuns),
      coldStartBins: coldStartBins.map((b) => ('skipped' in b ? b : strip(b))), file: cliFile, cli: CLI_MAIN,
    },
    memoryMiB: memory,
  };
  writeFileSync(o.out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(table(results));
  log(`results written to ${o.out}`);
}

/** A share as a percentage. */
function percent(s: Stat): Stat {
  return { median: 100 * s.median, min: 100 * s.min, max: 100 * s.max, values: s.values.map((v) => 100 * v) };
}

function strip(f: CommandFigures & { last?: unknown }): CommandFigures {
  const { last: _last, ...rest } = f;
  return rest;
}

/** Which product kernel the host training step gets in this runtime. */
function describeHostProducts(): string {
  const kernel = matMulKernel();
  if (!kernel) return 'tfjs (no WebAssembly SIMD here)';
  return kernel.fused ? 'our SIMD kernel, fused multiply-add (relaxed SIMD)' : 'our SIMD kernel, multiply then add (no relaxed SIMD here)';
}

/** Prints the results for a person: one block per section, every figure median [min - max]. */
function table(r: BenchResults): string {
  const m = r.meta;
  const recipe = m.recipe;
  const lines: string[] = [];
  const row = (label: string, value: string) => lines.push(`  ${label.padEnd(40)} ${value}`);
  lines.push(
    `ner-window bench ${m.date}  commit ${m.commit ?? '?'}  node ${m.node}  ${m.cpus} cpus (${m.cpuModel})`,
    `load average ${m.loadavgAtStart.join(' ')} at start, ${m.loadavgAtEnd.join(' ')} at end; every figure: median [min - max] of ${m.repeats} repeats`,
    `model ${m.model}`,
    '',
    `TRAINING  recipe model: ${recipe.features}, window ${recipe.window}, hidden ${recipe.hidden.join(',')}, ${recipe.activation}, ${recipe.optimizer}, batch ${recipe.batchSize}`,
    '  (CoNLL-2003 train windows, shuffled; a step computes its batch in two shards, on one thread or two)',
    `  host step's products: ${m.hostProducts}`,
  );
  for (const t of r.training.backends) {
    if (!('windowsPerSecond' in t)) {
      lines.push(`  ${t.backend}: not available: ${t.reason}`);
      continue;
    }
    lines.push(`  ${t.backend}, ${t.threads} thread(s), batch ${t.batchSize}: ${t.warmup} warm-up + ${t.steps} steps x ${t.repeats} (setup ${t.setupSeconds.toFixed(1)} s)`);
    row('windows/s', formatStat(t.windowsPerSecond));
    row('ms per step', formatStat(t.stepMs, 2));
    if (t.device) {
      // A device step's phases are not timed one by one (they run queued on the GPU).
      row('adapter', t.device.adapter);
      row("host's share (ids, random draws, rows)", formatStat(t.device.hostPrepMs, 2, ' ms'));
      row('uploaded per window', `${t.device.uploadBytesPerWindow} bytes`);
      continue;
    }
    row('CPU share (CPU time / wall)', formatStat(percent(t.cpuShare), 0, '%'));
    const names: Record<string, string> = {
      batch: 'build batch (ids, UNK, lookup, in-drop)',
      gradients: 'forward+backward (gradients)',
      waitShard: "waiting for the worker's shard",
      rowsUpdate: 'embedding rows (scatter, update)',
      denseUpdate: 'dense layers (update, or wait for it)',
    };
    for (const p of STEP_PHASES) {
      const share = (100 * t.phasesMs[p].median) / t.stepMs.median;
      row(`  ${names[p]}`, `${formatStat(t.phasesMs[p], 2, ' ms')}  ${share.toFixed(0)}%`);
    }
    row('  forward only (probabilities)', `${formatStat(t.forwardOnlyMs, 2, ' ms')}  (reference, not in the step)`);
  }
  lines.push('', `TAGGING  raw text -> Tagger.tagBatch -> JSON.stringify, one thread (text: CoNLL ${m.text.source} sentences, ${num(m.text.conllTokens)} CoNLL tokens)`);
  for (const t of r.tagging.backends) {
    if (!('tokensPerSecond' in t)) {
      lines.push(`  ${t.backend}: not available: ${t.reason}`);
      continue;
    }
    lines.push(`  ${t.backend}: ${num(t.docs)} documents, ${num(t.tokens)} tokens, ${num(t.jsonBytes / 1e6, 1)} MB of JSON, x ${t.repeats}`);
    row('tokens/s (1 core)', formatStat(t.tokensPerSecond));
    row('seconds', formatStat(t.seconds, 2));
    row('CPU share (CPU time / wall)', formatStat(percent(t.cpuShare), 0, '%'));
    const e2e = t.seconds.median * 1000;
    const names: Record<string, string> = { tokenize: 'tokenize', features: 'features (encodeDocuments+doc ctx)', network: 'network (model.tagProbabilities)', decode: 'decode (viterbi)', json: 'JSON.stringify' };
    lines.push('    stages, each timed alone (% of the end-to-end median):');
    for (const s of TAG_STAGES) row(`  ${names[s]}`, `${formatStat(t.stagesMs[s], 0, ' ms')}  ${((100 * t.stagesMs[s].median) / e2e).toFixed(0)}%`);
    const sum = TAG_STAGES.reduce((n, k) => n + t.stagesMs[k].median, 0);
    row('  end-to-end minus the stages', `~${num(e2e - sum)} ms  ${((100 * (e2e - sum)) / e2e).toFixed(0)}%  (results and spans in tagBatch, GC; medians, noisy)`);
  }
  const pool = r.tagging.allCores;
  lines.push('', `TAGGING ON ALL CORES  TaggerPool (worker threads, ${pool.backend ?? '-'}), same text, chunks of ~256 sentences`);
  lines.push('  objects: tagBatch, JSON.stringify on the main thread; jsonl: tagBatchRendered, JSON lines made on the workers (ner tag --workers)');
  if (pool.note) lines.push(`  ${pool.note}`);
  for (const p of pool.pools) {
    row(`${p.workers} worker${p.workers > 1 ? 's' : ''}, ${p.mode ?? 'objects'}, tokens/s`, `${formatStat(p.tokensPerSecond)}  (${p.chunks} calls)`);
    row('  CPU share (all threads)', formatStat(percent(p.cpuShare), 0, '%'));
  }
  lines.push('', `CLI  (fresh node process each run, backend ${r.cli.backend}; one unrecorded run first)`);
  row('ner eval test.txt, s', `${formatStat(r.cli.eval.seconds, 2)}  (F1 ${r.cli.eval.f1.toFixed(2)})`);
  row('  peak RSS of the child, MiB', formatStat(r.cli.eval.maxRssMiB));
  row('ner tag "short text" (cold), s', formatStat(r.cli.coldStart.seconds, 2));
  row('  peak RSS of the child, MiB', formatStat(r.cli.coldStart.maxRssMiB));
  for (const b of r.cli.coldStartBins) {
    const label = b.command.replace(/ tag "short text"$/, '');
    if ('skipped' in b) row(`  through ${label}`, `skipped: ${b.skipped}`);
    else row(`  through ${label}, s`, `${formatStat(b.seconds, 2)}  (${formatStat(b.maxRssMiB)} MiB)`);
  }
  lines.push(...formatCliFile(r.cli.file, (label, value) => `  ${label.padEnd(40)} ${value}`));
  lines.push('', `MEMORY  (maxRSS; children: ${r.cli.eval.memorySource})`);
  row('bench process, after tagging, MiB', `${num(r.memoryMiB.afterTagging)}  (models on each backend, text, results)`);
  row('  after training setup, MiB', `${num(r.memoryMiB.afterTrainingSetup)}  (+ the pretrained vectors, vocabularies, windows)`);
  row('  peak of the whole run, MiB', `${num(r.memoryMiB.benchProcessPeak)}  (+ training, worker threads)`);
  lines.push('', `bench took ${m.seconds.toFixed(0)} s`, '');
  return lines.join('\n');
}

await main();
