/**
 * `ner tag --input FILE --format jsonl` as users run it on a plain file, with one worker and
 * with two: the file is CoNLL-2003 train's sentences, one per line, written into a temporary
 * folder for the run and deleted after it (the corpus is licensed: nothing of it stays).
 * Each run's output is parsed back: it must hold a JSON line per input line, and the
 * two-worker output must equal the one-worker output byte for byte.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Corpus } from '../../src/core/corpus/types.js';
import { words } from '../../src/core/document/document.js';
import { readConll } from '../../src/node/files/conll-files.js';
import { runCli, type ChildRun } from './cli-runs.js';
import { formatStat, num, summarize, type Stat } from './stats.js';

/** Sentences of the file with --quick: enough for both workers to be busy, a second a run. */
export const QUICK_LINES = 3_000;

/** The text of the file: every sentence's words joined by spaces, one sentence per line. */
export interface LinesText {
  text: string;
  lines: number;
  /** CoNLL tokens (words) in it: what tokens/s counts, as in issue 17. */
  tokens: number;
}

/** One `--workers N` figure. */
export interface CliFileRun {
  workers: number;
  repeats: number;
  tokensPerSecond: Stat;
  seconds: Stat;
  maxRssMiB: Stat;
  /** Tokens the tagger wrote (its own tokenization), from the parsed output. */
  outputTokens: number;
  /** Whether the output equals the one-worker output byte for byte. */
  sameAsOneWorker: boolean;
}

/** The section: its figures, or why it was skipped. */
export type CliFileFigures =
  | { skipped: string }
  | { command: string; lines: number; tokens: number; bytes: number; runs: CliFileRun[] };

/**
 * A corpus's sentences as lines (at most `maxLines`).
 *
 * @example
 * linesFromCorpus(parseConll('Acme B-ORG\nhires O\n\nIt O\n')); // { text: 'Acme hires\nIt\n', lines: 2, tokens: 3 }
 */
export function linesFromCorpus(corpus: Corpus, maxLines = Infinity): LinesText {
  const out: string[] = [];
  let tokens = 0;
  for (const doc of corpus.documents) {
    for (const s of doc.sentences) {
      if (out.length >= maxLines) break;
      if (s.tokens.length === 0) continue;
      out.push(`${words(s).join(' ')}\n`);
      tokens += s.tokens.length;
    }
  }
  return { text: out.join(''), lines: out.length, tokens };
}

/**
 * Lines and tokens of `ner tag --format jsonl` output; throws where a line is not the
 * contract's JSON (so a broken run cannot pass for a fast one).
 */
export function countJsonl(stdout: string): { lines: number; tokens: number } {
  const lines = stdout.split('\n');
  if (lines.at(-1) === '') lines.pop();
  let tokens = 0;
  lines.forEach((line, i) => {
    const doc = JSON.parse(line) as { sentences?: { tokens?: unknown[] }[] };
    if (!Array.isArray(doc.sentences)) throw new Error(`output line ${i + 1} has no "sentences": ${line.slice(0, 80)}`);
    for (const s of doc.sentences) tokens += s.tokens?.length ?? 0;
  });
  return { lines: lines.length, tokens };
}

/**
 * Times `ner tag --input FILE --format jsonl --workers N` for N = 1 and 2 (interleaved, one
 * unrecorded round first), on train.txt's sentences (the first QUICK_LINES with `quick`).
 */
export async function benchCliFile(trainPath: string, model: string, repeats: number, quick: boolean): Promise<CliFileFigures> {
  if (!existsSync(trainPath)) return { skipped: `no ${trainPath} (set CONLL2003_DIR to the CoNLL-2003 folder)` };
  const file = linesFromCorpus(await readConll(trainPath), quick ? QUICK_LINES : Infinity);
  const dir = await mkdtemp(join(tmpdir(), 'ner-bench-cli-'));
  try {
    const input = join(dir, 'train-lines.txt');
    await writeFile(input, file.text);
    const workerCounts = [1, 2];
    const args = (workers: number) => ['tag', '--input', input, '--format', 'jsonl', '--workers', String(workers), '--model', model];
    const runs = new Map<number, ChildRun[]>(workerCounts.map((w) => [w, []]));
    for (let r = -1; r < repeats; r++) {
      for (const w of workerCounts) {
        const run = await runCli(args(w));
        if (r >= 0) runs.get(w)!.push(run);
      }
    }
    const reference = runs.get(1)!.at(-1)!.stdout;
    const counted = countJsonl(reference);
    if (counted.lines !== file.lines) throw new Error(`ner tag wrote ${counted.lines} JSON lines for ${file.lines} input lines`);
    return {
      command: 'ner tag --input FILE --format jsonl --workers N',
      lines: file.lines,
      tokens: file.tokens,
      bytes: Buffer.byteLength(file.text),
      runs: workerCounts.map((workers) => {
        const mine = runs.get(workers)!;
        return {
          workers,
          repeats,
          tokensPerSecond: summarize(mine.map((r) => file.tokens / r.seconds)),
          seconds: summarize(mine.map((r) => r.seconds)),
          maxRssMiB: summarize(mine.map((r) => r.maxRssMiB)),
          outputTokens: countJsonl(mine.at(-1)!.stdout).tokens,
          sameAsOneWorker: mine.every((r) => r.stdout === reference),
        };
      }),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The section's lines for the bench's table; `row` pads a label and its value as the table does. */
export function formatCliFile(f: CliFileFigures, row: (label: string, value: string) => string): string[] {
  if ('skipped' in f) return [`  ner tag --input FILE: skipped: ${f.skipped}`];
  const lines = [`  ${f.command}  (CoNLL train sentences, one per line: ${num(f.lines)} lines, ${num(f.tokens)} tokens, ${num(f.bytes / 1e6, 2)} MB)`];
  const one = f.runs.find((r) => r.workers === 1);
  for (const r of f.runs) {
    const ratio = one && r !== one ? `  (x${(r.tokensPerSecond.median / one.tokensPerSecond.median).toFixed(2)} speed, x${(r.maxRssMiB.median / one.maxRssMiB.median).toFixed(2)} memory of 1 worker)` : '';
    lines.push(row(`--workers ${r.workers}, tokens/s`, `${formatStat(r.tokensPerSecond)}${ratio}`));
    lines.push(row('  seconds', formatStat(r.seconds, 2)));
    lines.push(row('  peak RSS of the child, MiB', formatStat(r.maxRssMiB)));
    if (!r.sameAsOneWorker) lines.push(row('  OUTPUT DIFFERS from --workers 1', `${num(r.outputTokens)} tokens written`));
  }
  return lines;
}
