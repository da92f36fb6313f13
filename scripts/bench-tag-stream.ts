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
import type { TagResult, TextTagger } from '../src/core/tagger/types.js';
import { tokenize } from '../src/core/text/tokenize.js';

const allO: TextTagger = {
  async tag(text) {
    return (await this.tagBatch([text]))[0];
  },
  async tagBatch(texts) {
    return texts.map((text): TagResult => ({
      text,
      entities: [],
      sentences: tokenize(text).map((s) => ({ start: s.start, end: s.end, tokens: s.tokens.map((t) => ({ ...t, tag: 'O' })) })),
    }));
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
