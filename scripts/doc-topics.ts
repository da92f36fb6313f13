/**
 * The document topics the `doctopic` feature would learn from a training file (as training
 * does): how the documents spread over the topics, the words that
 * lead each centroid, and the most common first words of its documents' headlines.
 *
 *   node dist/scripts/doc-topics.js TRAIN_FILE [--seed N] [--words N]
 *
 * `--seed`: another k-means++ start than training's (DEFAULT_TOPIC_ARGS.seed).
 */
import '../src/node/runtime.js';
import { parseArgs } from 'node:util';
import { words } from '../src/core/document/document.js';
import { DEFAULT_TOPIC_ARGS, DocumentTopics } from '../src/core/features/document-topics.js';
import { readLabeledDocuments } from '../src/node/train-files.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { seed: { type: 'string' }, words: { type: 'string' } } });
if (positionals.length !== 1) {
  process.stderr.write('usage: node dist/scripts/doc-topics.js TRAIN_FILE [--seed N] [--words N]\n');
  process.exit(2);
}
const seed = Number(values.seed ?? DEFAULT_TOPIC_ARGS.seed);
const shown = Number(values.words ?? 12);
const documents = (await readLabeledDocuments(positionals[0])).map((d) => d.sentences.map(words));
const started = performance.now();
const topics = DocumentTopics.train(documents, { ...DEFAULT_TOPIC_ARGS, seed });
const ms = performance.now() - started;
const members = new Map<number, string[][][]>();
for (const doc of documents) {
  const k = topics.topicOf(doc);
  if (!members.has(k)) members.set(k, []);
  members.get(k)!.push(doc);
}
process.stdout.write(`${documents.length} documents, ${topics.words.length} topic words (after ${DEFAULT_TOPIC_ARGS.stopwords} stopwords), K ${topics.count}, ${DEFAULT_TOPIC_ARGS.iterations} iterations, seed ${seed}: ${ms.toFixed(0)} ms\n`);
for (const k of [...members.keys()].sort((a, b) => a - b)) {
  const docs = members.get(k)!;
  const heads = new Map<string, number>();
  for (const d of docs) {
    const first = d[0]?.[0] ?? '';
    heads.set(first, (heads.get(first) ?? 0) + 1);
  }
  const topHeads = [...heads].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([w, n]) => `${w} ${n}`).join(', ');
  const name = k < 0 ? 'none' : `t${k}`;
  const lead = k < 0 ? '' : topics.leadingWords(k, shown).join(' ');
  process.stdout.write(`${name.padEnd(4)} ${String(docs.length).padStart(4)} docs | ${lead} | headlines: ${topHeads}\n`);
}
