/**
 * Tagging speed of two models on one CoNLL file, alternating passes so that a busy machine
 * weighs on both alike: each loaded with Tagger.load (projections cached, as `ner` tags), one
 * warm-up pass each, then `--passes` timed passes of Tagger.tagDocuments over the file's
 * documents, A B A B ... Prints tokens/s per model (median [min - max]) and the ratio B / A
 * of the pass times' medians, min and max (pass-by-pass ratios), and whether both tag alike.
 *
 *   node dist/scripts/compare-tagging-speed.js FILE MODEL_A MODEL_B [--passes N]
 */
import '../src/node/runtime.js';
import { parseArgs } from 'node:util';
import { copyDocuments, sentencesOf, tokenCount, type Document } from '../src/core/document/document.js';
import { Tagger } from '../src/core/tagger/tagger.js';
import { readLabeledDocuments } from '../src/node/train-files.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { passes: { type: 'string' } } });
if (positionals.length !== 3) {
  process.stderr.write('usage: node dist/scripts/compare-tagging-speed.js FILE MODEL_A MODEL_B [--passes N]\n');
  process.exit(2);
}
const [file, ...dirs] = positionals;
const passes = Number(values.passes ?? 7);
const documents = await readLabeledDocuments(file);
const tokens = tokenCount(documents);
const taggers = [await Tagger.load(dirs[0]), await Tagger.load(dirs[1])];
const tagged: Document[][] = [];
const pass = async (k: number): Promise<number> => {
  const docs = copyDocuments(documents);
  const started = performance.now();
  await taggers[k].tagDocuments(docs);
  const seconds = (performance.now() - started) / 1000;
  tagged[k] = docs;
  return seconds;
};
await pass(0);
await pass(1);
const times: number[][] = [[], []];
for (let p = 0; p < passes; p++) for (const k of [0, 1]) times[k].push(await pass(k));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const stat = (xs: number[], f: (x: number) => number = (x) => x, digits = 0) =>
  `${f(median(xs)).toFixed(digits)} [${Math.min(...xs.map(f)).toFixed(digits)} - ${Math.max(...xs.map(f)).toFixed(digits)}]`;
process.stdout.write(`${file}: ${documents.length} documents, ${tokens} tokens, ${passes} alternating passes each\n`);
dirs.forEach((d, k) => process.stdout.write(`${k === 0 ? 'A' : 'B'} ${d}: ${stat(times[k], (t) => tokens / t)} tokens/s\n`));
const ratios = times[1].map((t, p) => t / times[0][p]);
process.stdout.write(`time B / A: median of times ${(median(times[1]) / median(times[0])).toFixed(3)}; per pass ${stat(ratios, (x) => x, 3)}\n`);
const same = sentencesOf(tagged[0]).filter((s, i) => s.predicted!.join() === sentencesOf(tagged[1])[i].predicted!.join()).length;
process.stdout.write(`sentences tagged alike: ${same} of ${sentencesOf(tagged[0]).length}\n`);
