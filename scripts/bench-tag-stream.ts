/**
 * Runs `ner tag --format jsonl` (or another format) over a file with a stand-in tagger that
 * tokenizes and tags every token O: times the streaming path the tag command adds around
 * the model (reading, UTF-8 checks, tokenizing, JSON, writing with backpressure) and
 * reports the peak memory. Output goes to /dev/null.
 *
 * Usage (after `npm run build`):
 *   node dist/scripts/bench-tag-stream.js FILE [--format jsonl|conll|pretty|json]
 */
import '../src/node/runtime.js';
import { createWriteStream, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createTagCommand } from '../src/cli/commands/tag.js';
import { sentencesOf } from '../src/core/document/document.js';
import type { DocumentTagger } from '../src/core/tagger/types.js';

/** Tags every token O with score 1 (the stream tokenizes before it and renders after it). */
const allO: DocumentTagger = {
  async tagDocuments(documents) {
    for (const sentence of sentencesOf(documents)) {
      sentence.predicted = sentence.tokens.map(() => 'O');
      sentence.scores = sentence.tokens.map(() => 1);
    }
  },
};

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { format: { type: 'string', default: 'jsonl' } } });
  const [file] = positionals;
  if (!file) {
    process.stderr.write('usage: bench-tag-stream FILE [--format F]\n');
    return 2;
  }
  let peak = 0;
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 50);
  const stdout = createWriteStream('/dev/null');
  const command = createTagCommand(async () => allO, { stdout, color: false });
  const start = performance.now();
  const code = await command.run(['--input', file, '--format', String(values.format)]);
  const seconds = (performance.now() - start) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
  const bytes = statSync(file).size;
  process.stdout.write(
    `${file}: ${(bytes / 1e6).toFixed(1)} MB, --format ${values.format}, exit ${code}: ${seconds.toFixed(1)} s, ` +
    `${(bytes / seconds / 1e6).toFixed(2)} MB/s, peak RSS ${(peak / (1 << 20)).toFixed(0)} MiB\n`,
  );
  return code;
}

process.exitCode = await main();
