/**
 * Times `tokenize` on a text file (or on generated news-like text): characters and tokens
 * per second, min, median and max over several runs.
 *
 * Usage (after `npm run build`):
 *   node dist/scripts/bench-tokenize.js [FILE] [--runs N] [--megabytes N]
 * e.g. node dist/scripts/bench-tokenize.js news.txt --runs 5
 * Without FILE it tokenizes N MB (default 8) of generated text with every tricky case in it.
 */
import '../src/node/runtime.js';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { tokenCount } from '../src/core/document/document.js';
import { tokenize } from '../src/core/text/tokenize.js';

const SENTENCES = [
  'Mr. Smith went to the U.S. on Monday, and Germany\'s Chancellor Angela Merkel met him in Berlin.',
  "O'Neill and Jean-Luc Picard didn't say whether 1,000 or 3.5% of the shares were sold to Acme Corp. on Jan. 5.",
  'Visit https://example.com/news?id=42 or mail press@example.org -- "We are pleased," J. R. Ewing said... 😀',
  'BRUSSELS 1996-08-22 The European Commission said on Thursday it disagreed with German advice.',
  'Shares of Deutsche Bank rose 2.5 percent to 120.50 marks in Frankfurt, while the DAX index fell 0.4 percent.',
  '東京都で会議が開かれた。 مرحبا بالعالم، Łódź and café (naïve) résumé.',
];

function generated(megabytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < megabytes * 1e6; i++) {
    const s = SENTENCES[i % SENTENCES.length];
    parts.push(s, i % 5 === 4 ? '\n\n' : ' ');
    size += s.length + 1;
  }
  return parts.join('');
}

function main(): number {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { runs: { type: 'string', default: '5' }, megabytes: { type: 'string', default: '8' } },
  });
  const [file] = positionals;
  const text = file ? readFileSync(file, 'utf8') : generated(Number(values.megabytes));
  tokenize(text.slice(0, 100_000)); // warm up the JIT before timing
  const times: number[] = [];
  let tokens = 0;
  let sentences = 0;
  for (let i = 0; i < Number(values.runs); i++) {
    const start = performance.now();
    const result = tokenize(text);
    times.push((performance.now() - start) / 1000);
    sentences = result.sentences.length;
    tokens = tokenCount([result]);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const rate = (n: number, t: number): string => `${(n / t / 1e6).toFixed(2)}M`;
  process.stdout.write(`${file ?? 'generated text'}: ${text.length} chars, ${tokens} tokens, ${sentences} sentences\n`);
  process.stdout.write(
    `tokenize over ${times.length} runs: chars/s min ${rate(text.length, times[times.length - 1])}, median ${rate(text.length, median)}, ` +
    `max ${rate(text.length, times[0])}; tokens/s median ${rate(tokens, median)}\n`,
  );
  return 0;
}

process.exitCode = main();
