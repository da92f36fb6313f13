import { describe, expect, it } from 'vitest';
import { parseConll } from '../../src/core/corpus/conll-reader.js';
import { sentencesOf, type Document } from '../../src/core/document/document.js';
import { evaluate } from '../../src/core/eval/conlleval.js';
import { evaluateModel, scoreDocuments, tagSequences } from '../../src/core/eval/score.js';

// Two documents with -DOCSTART- lines; the second sentence's LOC is predicted as ORG.
const TEXT = '-DOCSTART- O\n\nAnna B-PER\nsang O\n\n-DOCSTART- O\n\nin O\nBonn B-LOC\n\nBonn B-LOC\n';
const PREDICTED = [['B-PER', 'O'], ['O', 'B-ORG'], ['B-LOC']];

/** The documents of TEXT with PREDICTED filled in. */
function predicted(): Document[] {
  const { documents } = parseConll(TEXT);
  sentencesOf(documents).forEach((s, i) => (s.predicted = PREDICTED[i]));
  return documents;
}

describe('scoreDocuments', () => {
  it('scores gold against predicted tags exactly as evaluate does on the same sequences', () => {
    const result = scoreDocuments(predicted());
    expect(result).toEqual(evaluate([['B-PER', 'O'], ['O', 'B-LOC'], ['B-LOC']], PREDICTED));
    expect(result).toMatchObject({ gold: 3, predicted: 3, correct: 2, tokens: 5 });
  });

  it("with docstartTokens counts each -DOCSTART- line as an O token, as conlleval does on ner predict's output", () => {
    const plain = scoreDocuments(predicted());
    const conll = scoreDocuments(predicted(), { docstartTokens: true });
    expect(conll.tokens).toBe(plain.tokens + 2);
    expect(conll.accuracy).toBeCloseTo((100 * 6) / 7, 10); // 4 of 5 tokens right, plus the two -DOCSTART- lines
    expect(conll.f1).toBe(plain.f1);
    expect(tagSequences(predicted(), { docstartTokens: true }).gold).toEqual([['O'], ['B-PER', 'O'], ['O'], ['O', 'B-LOC'], ['B-LOC']]);
    // A document without a -DOCSTART- line (built in code, or before the first one) has none to count.
    expect(scoreDocuments([{ sentences: predicted()[0].sentences }], { docstartTokens: true }).tokens).toBe(2);
  });

  it('needs gold and predicted tags on every sentence', () => {
    const { documents } = parseConll(TEXT);
    expect(() => scoreDocuments(documents)).toThrow(/no predicted tags/);
    const untagged = parseConll('a NN\n', { tagColumn: 'none' }).documents;
    untagged[0].sentences[0].predicted = ['O'];
    expect(() => scoreDocuments(untagged)).toThrow(/no gold tags/);
  });

  it('evaluateModel predicts into the documents, then scores them', async () => {
    const { documents } = parseConll(TEXT);
    const model = { predict: (docs: readonly Document[]) => sentencesOf(docs).forEach((s, i) => (s.predicted = PREDICTED[i])) };
    expect(await evaluateModel(model, documents)).toEqual(scoreDocuments(predicted()));
    expect(sentencesOf(documents)[1].predicted).toEqual(['O', 'B-ORG']);
  });
});
