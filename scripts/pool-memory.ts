/**
 * Peak memory and time of `ner tag --input FILE --format jsonl` with one thread and with
 * worker threads (issue 17: two workers should cost under 1.3x the memory of one), runs
 * interleaved so that a busy machine weighs on every configuration alike. Each run's peak RSS
 * is the child process's, all threads (scripts/bench/cli-runs.ts); each output's MD5 shows that
 * every configuration writes the same bytes.
 *
 * Usage (after `npm run build`):
 *   node dist/scripts/pool-memory.js --input FILE [--model M] [--runs 5] [--workers 1,2] [--cli PATH ...]
 * --cli: CLI entry points to compare (another checkout's dist/src/cli/main.js); default this build's.
 */
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { CLI_MAIN, runCli } from './bench/cli-runs.js';
import { summarize } from './bench/stats.js';

interface Run {
  seconds: number;
  peakMiB: number;
  md5: string;
}

/** One fresh `node CLI ...args` (runCli: wall time here, the child's peak RSS), and the MD5 of what it wrote. */
async function runOnce(cli: string, args: string[]): Promise<Run> {
  const run = await runCli(args, [process.execPath, cli]);
  return { seconds: run.seconds, peakMiB: run.maxRssMiB, md5: createHash('md5').update(run.stdout).digest('hex') };
}

const spread = (xs: number[], digits: number): string => {
  const s = summarize(xs);
  return `${s.min.toFixed(digits)} / ${s.median.toFixed(digits)} / ${s.max.toFixed(digits)}`;
};
const median = (xs: number[]): number => summarize(xs).median;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      input: { type: 'string' },
      model: { type: 'string' },
      runs: { type: 'string', default: '5' },
      workers: { type: 'string', default: '1,2' },
      cli: { type: 'string', multiple: true },
    },
  });
  if (!values.input) {
    process.stderr.write('usage: node dist/scripts/pool-memory.js --input FILE [--model M] [--runs 5] [--workers 1,2] [--cli PATH ...]\n');
    return 2;
  }
  const runs = Number(values.runs);
  const workerCounts = values.workers.split(',').map(Number);
  const clis = values.cli ?? [CLI_MAIN];
  const configs = clis.flatMap((cli) => workerCounts.map((workers) => ({ cli, workers, runs: [] as Run[] })));
  for (let r = 0; r < runs; r++) {
    for (const config of configs) {
      const args = ['tag', '--input', values.input, '--format', 'jsonl', '--workers', String(config.workers), ...(values.model ? ['--model', values.model] : [])];
      const run = await runOnce(config.cli, args);
      config.runs.push(run);
      process.stderr.write(`run ${r + 1}: ${config.cli} --workers ${config.workers}: ${run.seconds.toFixed(2)} s, ${run.peakMiB.toFixed(0)} MiB\n`);
    }
  }
  process.stdout.write(`${runs} interleaved runs each, min / median / max\n`);
  for (const { cli, workers, runs: done } of configs) {
    const one = configs.find((c) => c.cli === cli && c.workers === workerCounts[0])!;
    const ratio = median(done.map((r) => r.peakMiB)) / median(one.runs.map((r) => r.peakMiB));
    const md5s = [...new Set(done.map((r) => r.md5))].join(',');
    process.stdout.write(`${cli} --workers ${workers}: ${spread(done.map((r) => r.seconds), 2)} s, peak ${spread(done.map((r) => r.peakMiB), 0)} MiB (median ${ratio.toFixed(2)}x --workers ${workerCounts[0]}), md5 ${md5s}\n`);
  }
  const outputs = new Set(configs.flatMap((c) => c.runs.map((r) => r.md5)));
  process.stdout.write(outputs.size === 1 ? 'every run wrote the same bytes\n' : `outputs differ: ${[...outputs].join(', ')}\n`);
  return outputs.size === 1 ? 0 : 1;
}

process.exitCode = await main();
