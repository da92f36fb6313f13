/**
 * Times `readConll` on a file: min, median and max wall time over several runs.
 *
 * Usage (after `npm run build`):
 *   node dist/scripts/bench-reader.js FILE [--runs N]
 * e.g. node dist/scripts/bench-reader.js ../shared/corpora/conll2003/train.txt --runs 10
 */
import '../src/node/runtime.js';
import { parseArgs } from 'node:util';
import { readConll } from '../src/node/files/conll-files.js';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { runs: { type: 'string', default: '10' } } });
  const [file] = positionals;
  if (!file) {
    process.stderr.write('usage: bench-reader FILE [--runs N]\n');
    return 2;
  }
  const times: number[] = [];
  let summary = '';
  for (let i = 0; i < Number(values.runs); i++) {
    const start = performance.now();
    const corpus = await readConll(file);
    times.push(performance.now() - start);
    summary = `${corpus.sentenceCount} sentences, ${corpus.tokenCount} tokens, ${corpus.documents.length} documents, ${corpus.scheme}`;
  }
  times.sort((a, b) => a - b);
  const median = times.length % 2 ? times[(times.length - 1) / 2] : (times[times.length / 2 - 1] + times[times.length / 2]) / 2;
  const ms = (t: number): string => `${t.toFixed(0)} ms`;
  process.stdout.write(`${file}: ${summary}\n`);
  process.stdout.write(`readConll over ${times.length} runs: min ${ms(times[0])}, median ${ms(median)}, max ${ms(times[times.length - 1])}\n`);
  return 0;
}

main().then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`bench-reader: ${err instanceof Error ? err.message : String(err)}\n`); process.exitCode = 1; },
);
