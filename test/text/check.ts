import type { Sentence } from '../../src/core/document/document.js';

/** A sentence as tokenize makes it: every offset set. */
type OffsetSentence = Sentence & { start: number; end: number; tokens: { text: string; start: number; end: number }[] };

const SPACE = /\s/;
const LINE_BREAK = /[\n\r\u2028\u2029]/;

/**
 * Every rule tokenize() promises, checked at once; returns the broken ones (empty when all
 * hold) so a failing test prints what broke rather than stopping at the first expect.
 */
export function offsetProblems(text: string, sentences: readonly Sentence[]): string[] {
  const problems: string[] = [];
  for (const s of sentences) {
    if (s.start === undefined || s.end === undefined || s.tokens.some((t) => t.start === undefined || t.end === undefined)) {
      return [`a sentence or token without offsets: ${JSON.stringify(s)}`];
    }
  }
  const covered = new Uint8Array(text.length);
  let previousEnd = 0;
  for (const s of sentences as readonly OffsetSentence[]) {
    if (s.tokens.length === 0) {
      problems.push(`empty sentence at ${s.start}`);
      continue;
    }
    if (s.start !== s.tokens[0].start || s.end !== s.tokens[s.tokens.length - 1].end) {
      problems.push(`sentence ${s.start}-${s.end} does not span its tokens`);
    }
    if (LINE_BREAK.test(text.slice(s.start, s.end))) problems.push(`sentence ${s.start}-${s.end} crosses a line break`);
    for (const t of s.tokens) {
      if (text.slice(t.start, t.end) !== t.text) problems.push(`token ${JSON.stringify(t)} does not match the text`);
      if (t.end <= t.start) problems.push(`empty token at ${t.start}`);
      if (t.start < previousEnd) problems.push(`token at ${t.start} overlaps or is out of order`);
      if (t.start < s.start || t.end > s.end) problems.push(`token at ${t.start} outside its sentence`);
      previousEnd = t.end;
      for (let i = t.start; i < t.end; i++) {
        if (SPACE.test(text[i])) problems.push(`whitespace inside token ${JSON.stringify(t.text)}`);
        covered[i] = 1;
      }
    }
  }
  for (let i = 0; i < text.length; i++) {
    if (covered[i] === 0 && !SPACE.test(text[i])) problems.push(`character ${i} ${JSON.stringify(text[i])} is in no token`);
  }
  return problems.slice(0, 10);
}

/** Deterministic random numbers in [0, 1) (mulberry32), so a failing case can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The token texts of every sentence, for literal expectations. */
export function tokenTexts(sentences: readonly Sentence[]): string[][] {
  return sentences.map((s) => s.tokens.map((t) => t.text));
}
