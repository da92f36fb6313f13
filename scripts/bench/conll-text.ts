/**
 * Raw text for the tagging bench, rebuilt in memory from CoNLL files: each document's
 * sentences with their tokens joined by spaces, one sentence per line. Built at run time
 * from CONLL2003_DIR and never written anywhere, since the corpus is licensed.
 */
import type { Corpus } from '../../src/core/corpus/types.js';
import { words } from '../../src/core/document/document.js';

/** Documents of raw text and how many CoNLL tokens they hold. */
export interface BenchText {
  docs: string[];
  conllTokens: number;
}

/**
 * One text per document of the corpora: sentences joined by `\n`, words by a space.
 *
 * @example
 * textFromCorpora([parseConll('Acme B-ORG\nhires O\n\nIt O\n')]).docs; // ['Acme hires\nIt']
 */
export function textFromCorpora(corpora: readonly Corpus[]): BenchText {
  const docs: string[] = [];
  let conllTokens = 0;
  for (const corpus of corpora) {
    for (const doc of corpus.documents) {
      if (doc.sentences.length === 0) continue;
      docs.push(doc.sentences.map((s) => words(s).join(' ')).join('\n'));
      conllTokens += doc.sentences.reduce((n, s) => n + s.tokens.length, 0);
    }
  }
  return { docs, conllTokens };
}

/**
 * The first documents holding at least `tokens` CoNLL-style tokens (whitespace-separated
 * words), or all of them: a smaller text for slow backends.
 */
export function firstDocs(docs: readonly string[], tokens: number): string[] {
  const out: string[] = [];
  let n = 0;
  for (const d of docs) {
    if (n >= tokens) break;
    out.push(d);
    n += d.split(/\s+/).filter(Boolean).length;
  }
  return out;
}
