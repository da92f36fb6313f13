/**
 * Reads the real CoNLL-2003 English files when CONLL2003_DIR points at them (CI sets it to
 * ../shared/corpora/conll2003). The expected counts are those of ../shared/corpora/README.md,
 * which the files give: sentences are counted between blank lines and -DOCSTART- lines, and
 * tokens are token lines (the -DOCSTART- lines are not tokens).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConll } from '../../src/node/files/conll-files.js';

const dir = process.env.CONLL2003_DIR;

const EXPECTED = [
  { file: 'train.txt', sentences: 14_041, tokens: 203_621, documents: 946 },
  { file: 'valid.txt', sentences: 3_250, tokens: 51_362, documents: 216 },
  { file: 'test.txt', sentences: 3_453, tokens: 46_435, documents: 231 },
];

describe(dir ? `CoNLL-2003 in ${dir}` : 'CoNLL-2003 (skipped: CONLL2003_DIR not set)', () => {
  for (const { file, sentences, tokens, documents } of EXPECTED) {
    it.skipIf(!dir)(`${file}: ${sentences} sentences, ${tokens} tokens, ${documents} documents, IOB2`, async () => {
      const corpus = await readConll(join(dir!, file));
      expect(corpus.sentenceCount).toBe(sentences);
      expect(corpus.tokenCount).toBe(tokens);
      expect(corpus.documents).toHaveLength(documents);
      expect(corpus.scheme).toBe('IOB2');
    });
  }
});
