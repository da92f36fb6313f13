/**
 * Checks `ner eval --scored` against the real CoNLL evaluation script, figure by figure.
 *
 * Usage (after `npm run build`):
 *   node dist/scripts/check-conlleval.js CONLLEVAL_PL CONLL_FILE [--files N] [--seed S] [--keep]
 *
 * From CONLL_FILE (gold tags in the last column, e.g. CoNLL-2003 test.txt) it writes N files
 * (default 20) to a temporary folder, each with a predicted column made by perturbing the
 * gold tags at random with a seed: random tags, IOB1-style `I-` starts, entity type swaps and
 * boundary shifts, at rates drawn per file. Every other file has its gold column rewritten
 * as IOB1, so both schemes are scored. File 0 predicts the gold tags unchanged.
 *
 * For each file it runs `perl CONLLEVAL_PL < file` and `ner eval --scored file` (text and
 * --json) and compares: the text reports must be identical, and every figure conlleval prints
 * (counts, accuracy, overall and per-type precision/recall/FB1, per-type found) must equal
 * ours in --json rounded as conlleval rounds. Exits 1 on any mismatch.
 *
 * The conlleval script and the corpus are not part of this repository: pass their paths.
 */
import '../src/node/runtime.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type ConllItem } from '../src/core/corpus/conll-reader.js';
import { streamConll } from '../src/node/files/conll-files.js';
import { spansToTags, tagsToSpans } from '../src/core/tags/spans.js';
import { iob2ToIob1 } from '../src/core/tags/tag-scheme.js';
import type { Span } from '../src/core/document/document.js';
import type { EvalResult } from '../src/core/eval/conlleval.js';
import { printfFixed } from '../src/core/eval/report.js';

interface Rates {
  random: number;
  iob1Start: number;
  typeSwap: number;
  shift: number;
  drop: number;
}

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { files: { type: 'string', default: '20' }, seed: { type: 'string', default: '1' }, keep: { type: 'boolean' } },
  });
  const [conllevalPl, conllFile] = positionals;
  if (!conllevalPl || !conllFile) {
    process.stderr.write('usage: check-conlleval CONLLEVAL_PL CONLL_FILE [--files N] [--seed S] [--keep]\n');
    return 2;
  }
  const fileCount = Number(values.files);
  const seed = Number(values.seed);
  const items: ConllItem[] = [];
  for await (const item of streamConll(conllFile)) items.push(item);
  const types = collectTypes(items);
  const dir = mkdtempSync(join(tmpdir(), 'check-conlleval-'));
  let mismatches = 0;
  let figures = 0;
  try {
    for (let k = 0; k < fileCount; k++) {
      const rng = mulberry32(seed * 100_003 + k);
      const rates: Rates = k === 0 ? { random: 0, iob1Start: 0, typeSwap: 0, shift: 0, drop: 0 } : drawRates(rng);
      const goldIob1 = k % 2 === 1;
      const path = join(dir, `perturbed-${k}.txt`);
      writeFileSync(path, perturbFile(items, types, rates, goldIob1, rng));
      const perl = run('perl', [conllevalPl], readFileSync(path));
      const ours = run(process.execPath, [CLI, 'eval', '--scored', path]);
      const json = JSON.parse(run(process.execPath, [CLI, 'eval', '--scored', path, '--json'])) as EvalResult;
      const problems: string[] = [];
      if (perl !== ours) problems.push(`text reports differ:\n--- conlleval\n${perl}--- ner eval\n${ours}`);
      const compared = compareFigures(perl, json, problems);
      figures += compared;
      mismatches += problems.length;
      const f1 = printfFixed(json.f1, 2);
      const summary = `file ${String(k).padStart(2)}: gold ${goldIob1 ? 'IOB1' : 'IOB2'}, ` +
        `random ${rates.random.toFixed(2)} iob1 ${rates.iob1Start.toFixed(2)} swap ${rates.typeSwap.toFixed(2)} ` +
        `shift ${rates.shift.toFixed(2)} drop ${rates.drop.toFixed(2)} -> FB1 ${f1}, ${compared} figures, ` +
        `${problems.length === 0 ? 'all equal' : `${problems.length} MISMATCHES`}`;
      process.stdout.write(`${summary}\n`);
      for (const p of problems) process.stdout.write(`  ${p}\n`);
    }
  } finally {
    if (values.keep) process.stdout.write(`perturbed files kept in ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`${fileCount} files, ${figures} figures compared, ${mismatches} mismatches\n`);
  return mismatches === 0 ? 0 : 1;
}

function perturbFile(items: readonly ConllItem[], types: readonly string[], rates: Rates, goldIob1: boolean, rng: () => number): string {
  const out: string[] = [];
  for (const item of items) {
    if (item.kind === 'docstart') {
      // conlleval needs every line to have the same number of columns.
      out.push(`${[...item.row, 'O'].join(' ')}\n\n`);
      continue;
    }
    const tags = item.sentence.gold!;
    const gold = goldIob1 ? iob2ToIob1(tags) : tags;
    const predicted = perturbTags(tags, types, rates, rng);
    item.sentence.source!.rows.forEach((row, i) => {
      out.push(`${[...row.slice(0, -1), gold[i], predicted[i]].join(' ')}\n`);
    });
    out.push('\n');
  }
  return out.join('');
}

/** Gold tags with entities dropped, retyped and shifted, then IOB1 starts and random tags. */
function perturbTags(tags: readonly string[], types: readonly string[], rates: Rates, rng: () => number): string[] {
  const n = tags.length;
  const spans: Span[] = [];
  let lastEnd = 0;
  for (const span of tagsToSpans(tags)) {
    if (rng() < rates.drop) continue;
    let { start, end, type } = span;
    if (rng() < rates.typeSwap) type = pick(types.filter((t) => t !== type), rng);
    if (rng() < rates.shift) {
      if (rng() < 0.5) start += rng() < 0.5 ? -1 : 1;
      else end += rng() < 0.5 ? -1 : 1;
    }
    start = Math.max(start, lastEnd);
    end = Math.min(end, n);
    if (start >= end) continue;
    spans.push({ start, end, type });
    lastEnd = end;
  }
  const predicted = spansToTags(spans, n, 'IOB2');
  for (const span of spans) {
    if (rng() < rates.iob1Start) predicted[span.start] = `I-${span.type}`;
  }
  for (let i = 0; i < n; i++) {
    if (rng() < rates.random) {
      const r = rng();
      predicted[i] = r < 0.4 ? 'O' : `${r < 0.7 ? 'B' : 'I'}-${pick(types, rng)}`;
    }
  }
  return predicted;
}

/** Squared draws, so most files are lightly perturbed (F1 like a real tagger's) and some heavily. */
function drawRates(rng: () => number): Rates {
  const draw = (max: number): number => rng() ** 2 * max;
  return { random: draw(0.3), iob1Start: draw(0.6), typeSwap: draw(0.3), shift: draw(0.3), drop: draw(0.2) };
}

/** Compares every figure conlleval printed with ours; returns how many were compared. */
function compareFigures(perl: string, ours: EvalResult, problems: string[]): number {
  let compared = 0;
  const check = (what: string, theirs: string | undefined, mine: string): void => {
    compared++;
    if (theirs !== mine) problems.push(`${what}: conlleval ${theirs ?? '(missing)'}, ner eval ${mine}`);
  };
  const lines = perl.split('\n');
  const counts = /^processed (\d+) tokens with (\d+) phrases; found: (\d+) phrases; correct: (\d+)\.$/.exec(lines[0]) ?? [];
  check('tokens', counts[1], String(ours.tokens));
  check('gold phrases', counts[2], String(ours.gold));
  check('found phrases', counts[3], String(ours.predicted));
  check('correct phrases', counts[4], String(ours.correct));
  const overall = /^accuracy:\s*([\d.]+)%; precision:\s*([\d.]+)%; recall:\s*([\d.]+)%; FB1:\s*([\d.]+)$/.exec(lines[1]) ?? [];
  check('accuracy', overall[1], printfFixed(ours.accuracy, 2));
  check('precision', overall[2], printfFixed(ours.precision, 2));
  check('recall', overall[3], printfFixed(ours.recall, 2));
  check('FB1', overall[4], printfFixed(ours.f1, 2));
  const seen = new Set<string>();
  for (const line of lines.slice(2)) {
    const m = /^\s*(\S+): precision:\s*([\d.]+)%; recall:\s*([\d.]+)%; FB1:\s*([\d.]+)\s+(\d+)$/.exec(line);
    if (!m) continue;
    const [, type, p, r, f, found] = m;
    seen.add(type);
    const score = ours.types[type];
    if (!score) {
      problems.push(`type ${type}: in conlleval's report, not in ours`);
      continue;
    }
    check(`${type} precision`, p, printfFixed(score.precision, 2));
    check(`${type} recall`, r, printfFixed(score.recall, 2));
    check(`${type} FB1`, f, printfFixed(score.f1, 2));
    check(`${type} found`, found, String(score.predicted));
  }
  for (const type of Object.keys(ours.types)) {
    if (!seen.has(type)) problems.push(`type ${type}: in our result, not in conlleval's report`);
  }
  return compared;
}

function collectTypes(items: readonly ConllItem[]): string[] {
  const types = new Set<string>();
  for (const item of items) {
    if (item.kind === 'sentence') for (const span of tagsToSpans(item.sentence.gold!)) types.add(span.type);
  }
  return [...types].sort();
}

function run(command: string, args: string[], input?: Buffer): string {
  const result = spawnSync(command, args, { input, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status}: ${result.stderr}`);
  }
  return result.stdout;
}

function pick<T>(list: readonly T[], rng: () => number): T {
  return list[Math.floor(rng() * list.length)];
}

/** A small seeded generator (mulberry32), so a run can be repeated exactly. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

main().then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`check-conlleval: ${err instanceof Error ? err.message : String(err)}\n`); process.exitCode = 1; },
);
