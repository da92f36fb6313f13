/**
 * How many embedding rows tagging a file projects through the first layer, with the cache as
 * it is (first come, first kept) at several budgets, measured, and with other admission
 * policies, simulated on the same feature ids (issue 17: is the cold pass of `ner tag --input`
 * bound by the cache's policy or by its size?).
 *
 * Usage (after `npm run build`):
 *   node dist/scripts/cache-policies.js --input FILE [--model M] [--budgets 64,128,256]
 *
 * FILE is text, one document per line, tagged in batches of BATCH_LINES lines as `ner tag`
 * does. "Measured" is the library's own count (FirstLayerProjections.cache.projected) and its
 * time; "simulated" replays the ids in rounds of 8,192 tokens (the model's inference batch,
 * without the early stops of a round whose overflow rows are full), one cache row per
 * projected row, and weighs each projection by its feature's size (its share of the FLOPs).
 */
import '../src/node/runtime.js';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { encodeDocuments } from '../src/core/features/windows.js';
import type { Document } from '../src/core/document/document.js';
import { BATCH_LINES } from '../src/core/tagger/tag-stream.js';
import { tokenize } from '../src/core/text/tokenize.js';
import { useBackend } from '../src/node/backend.js';
import { loadModel } from '../src/node/storage/model-io.js';
import { resolveModelDir } from '../src/node/storage/bundled-model.js';

const ROUND_TOKENS = 8192;

/** Which rows a policy keeps in the cache: `admit(f, id, seenBefore)` for a row not cached while there is room. */
interface Policy {
  name: string;
  admit: (f: number, id: number, seenBefore: boolean) => boolean;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { input: { type: 'string' }, model: { type: 'string' }, budgets: { type: 'string', default: '64,128,256' } } });
  if (!values.input) {
    process.stderr.write('usage: node dist/scripts/cache-policies.js --input FILE [--model M] [--budgets 64,128,256]\n');
    return 2;
  }
  await useBackend('wasm');
  const lines = readFileSync(values.input, 'utf8').split('\n').filter((l) => l.length > 0);
  const budgets = values.budgets!.split(',').map(Number);
  const dir = resolveModelDir(values.model ?? 'conll2003-en');
  const batches = (): Document[][] => {
    const out: Document[][] = [];
    for (let i = 0; i < lines.length; i += BATCH_LINES) out.push(lines.slice(i, i + BATCH_LINES).map((l) => tokenize(l)));
    return out;
  };

  // Measured: the library as it is, a fresh model per budget.
  let rowBytes = 0;
  for (const mib of budgets) {
    const { model } = await loadModel(dir);
    model.useFirstLayerProjections({ budgetBytes: mib << 20 });
    const work = batches();
    const start = performance.now();
    for (const docs of work) model.predict(docs);
    const seconds = (performance.now() - start) / 1000;
    const cache = model.firstLayerProjections()!.cache;
    rowBytes = cache.bytes / Math.max(1, cache.rows);
    console.log(`measured  first come, first kept  ${String(mib).padStart(4)} MiB  capacity ${cache.capacity} rows  projected ${cache.projected} rows  ${seconds.toFixed(2)} s`);
  }

  // Simulated: the same ids, other policies.
  const { model } = await loadModel(dir);
  const fs = model.featureSet;
  const { offsets, widths, total: C } = fs.layout;
  const dims = model.tables.specs.map((s) => s.dim);
  const single = widths.map((w) => w === 1);
  const ids: Int32Array[] = batches().map((docs) => encodeDocuments(fs, docs).ids);
  const distinct = new Set<string>();
  for (const a of ids) for (let t = 0; t < a.length / C; t++) for (let f = 0; f < dims.length; f++) if (single[f]) distinct.add(`${f}:${a[t * C + offsets[f]]}`);
  let floor = 0;
  for (const key of distinct) floor += dims[Number(key.split(':')[0])];
  const words = model.tables.specs.findIndex((s) => s.name === 'word');
  const policies: Policy[] = [
    { name: 'first come, first kept', admit: () => true },
    { name: 'second sight (a row is kept the second round it is met)', admit: (_f, _id, seen) => seen },
    { name: 'words only', admit: (f) => f === words },
    { name: 'all but words', admit: (f) => f !== words },
  ];
  console.log(`distinct rows ${distinct.size}; the floor (each projected once) ${floor} row-dims`);
  for (const mib of budgets) {
    const capacity = Math.floor((mib << 20) / (rowBytes || 6000));
    for (const policy of policies) {
      const cached = new Set<string>();
      const seen = new Set<string>();
      let projected = 0;
      let rowDims = 0;
      for (const a of ids) {
        for (let from = 0; from < a.length / C; from += ROUND_TOKENS) {
          const round = new Set<string>();
          for (let t = from; t < Math.min(a.length / C, from + ROUND_TOKENS); t++) {
            for (let f = 0; f < dims.length; f++) if (single[f]) round.add(`${f}:${a[t * C + offsets[f]]}`);
          }
          for (const key of round) {
            if (cached.has(key)) continue;
            const f = Number(key.split(':')[0]);
            projected++;
            rowDims += dims[f];
            if (cached.size < capacity && policy.admit(f, Number(key.split(':')[1]), seen.has(key))) cached.add(key);
            seen.add(key);
          }
        }
      }
      console.log(`simulated ${policy.name.padEnd(58)} ${String(mib).padStart(4)} MiB  projected ${projected} rows, ${(rowDims / floor).toFixed(2)}x the floor's FLOPs`);
    }
  }
  return 0;
}

main().then((code) => process.exit(code), (err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
