import { beforeAll, describe, expect, it } from 'vitest';
import { documentFromWords, predictedSpans, sentencesOf, words } from '../../src/core/document/document.js';
import { Tagger } from '../../src/core/tagger/tagger.js';
import { tokenize } from '../../src/core/text/tokenize.js';

let tagger: Tagger;

beforeAll(async () => {
  tagger = await Tagger.load();
});

describe('tagger.tagTokens (the bundled model)', () => {
  it('gives each sentence its tags and its entities over token indices, end exclusive', async () => {
    const [s] = await tagger.tagTokens([['Kofi', 'Annan', 'visited', 'Iraq', '.']]);
    expect(s.tags).toEqual(['B-PER', 'I-PER', 'O', 'B-LOC', 'O']);
    expect(s.entities.map(({ start, end, type }) => ({ start, end, type }))).toEqual([
      { start: 0, end: 2, type: 'PER' },
      { start: 3, end: 4, type: 'LOC' },
    ]);
    for (const e of s.entities) {
      expect(Object.keys(e)).toEqual(['start', 'end', 'type', 'score']);
      expect(e.score).toBeGreaterThan(0.5);
      expect(e.score).toBeLessThanOrEqual(1);
    }
  });

  it('agrees with tag(text) on the same tokens, scores included', async () => {
    const text = 'Angela Merkel met Emmanuel Macron in Paris on Monday. The United Nations said so.';
    const result = await tagger.tag(text);
    const sentences = result.sentences.map((s) => s.tokens.map((t) => t.text));
    const tagged = await tagger.tagTokens(sentences);
    expect(tagged.map((s) => s.tags)).toEqual(result.sentences.map((s) => s.tokens.map((t) => t.tag)));
    const tokenStarts = result.sentences.map((s) => s.tokens.map((t) => t.start));
    const entities = tagged.flatMap((s, k) => s.entities.map((e) => ({ type: e.type, start: tokenStarts[k][e.start], score: e.score })));
    expect(entities).toEqual(result.entities.map((e) => ({ type: e.type, start: e.start, score: e.score })));
  });

  it('reads document boundaries from options.documents, wherever the sentences of a document are', async () => {
    // doccase looks across a document: a headline's JAPAN is surer with a Japan further on.
    const sentences = [['JAPAN', 'BEAT', 'CHINA'], ['Fans', 'in', 'japan', 'cheered', '.'], ['They', 'beat', 'Japan', 'and', 'China', '.'], ['Stocks', 'rose', '.']];
    const grouped = [documentFromWords([sentences[0], sentences[2]]), documentFromWords([sentences[1], sentences[3]])];
    await tagger.tagDocuments(grouped);
    const [a, c] = grouped[0].sentences;
    const [b, d] = grouped[1].sentences;
    const byNumber = await tagger.tagTokens(sentences, { documents: [7, 3, 7, 3] });
    expect(byNumber).toEqual([a, b, c, d].map((s) => ({ tags: s.predicted, entities: predictedSpans(s) })));
    const apart = await tagger.tagTokens(sentences, { documents: [0, 1, 2, 3] });
    expect(apart[0]).toEqual((await tagger.tagTokens([sentences[0]]))[0]);
    expect(apart[0].entities[0].score).not.toBe(byNumber[0].entities[0].score);
    // Without the option, all sentences are one document.
    const whole = documentFromWords(sentences);
    await tagger.tagDocuments([whole]);
    expect(await tagger.tagTokens(sentences)).toEqual(whole.sentences.map((s) => ({ tags: s.predicted, entities: predictedSpans(s) })));
  });

  it('takes empty sentences and no sentences', async () => {
    expect(await tagger.tagTokens([])).toEqual([]);
    expect(await tagger.tagTokens([[], ['Paris']])).toMatchObject([{ tags: [], entities: [] }, { tags: ['B-LOC'] }]);
  });
});

describe('tagger.tagDocuments (the bundled model)', () => {
  it('fills predicted tags and their scores into every sentence, in place, as tag(text) reports them', async () => {
    const text = 'Barack Obama was born in Hawaii.\nShares of General Motors fell.';
    const doc = tokenize(text);
    await tagger.tagDocuments([doc]);
    const result = await tagger.tag(text);
    expect(sentencesOf([doc]).map((s) => s.predicted)).toEqual(result.sentences.map((s) => s.tokens.map((t) => t.tag)));
    for (const s of doc.sentences) {
      expect(s.scores).toHaveLength(s.tokens.length);
      for (const score of s.scores!) expect(score).toBeGreaterThan(0);
    }
    expect(words(doc.sentences[0])).toEqual(['Barack', 'Obama', 'was', 'born', 'in', 'Hawaii', '.']);
  });
});
