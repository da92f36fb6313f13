/** Dropping entities below a score: the filter itself, and the minScore option of the tagging API (bundled model). */
import { beforeAll, describe, expect, it } from 'vitest';
import { documentFromWords, predictedSpans } from '../../src/core/document/document.js';
import { dropEntitiesBelow, withMinScore } from '../../src/core/tagger/min-score.js';
import { Tagger } from '../../src/core/tagger/tagger.js';
import { tokenize } from '../../src/core/text/tokenize.js';
import { NerError } from '../../src/core/errors.js';

/** Expects `run` to fail with a NerError of `code` whose message matches `pattern`. */
async function expectNerError(run: () => unknown, code: string, pattern: RegExp): Promise<void> {
  const err: unknown = await Promise.resolve().then(run).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(NerError);
  expect((err as NerError).code).toBe(code);
  expect((err as NerError).message).toMatch(pattern);
}

describe('dropEntitiesBelow', () => {
  it('makes the tags of entities scored below the threshold O and keeps the others with their scores', () => {
    const doc = documentFromWords([['Anna', 'Keller', 'met', 'Bo', 'in', 'Oslo']]);
    const s = doc.sentences[0];
    s.predicted = ['B-PER', 'I-PER', 'O', 'B-PER', 'O', 'B-LOC'];
    s.entityScores = [0.9, 0.4, 0.6];
    dropEntitiesBelow([doc], 0.6);
    expect(s.predicted).toEqual(['B-PER', 'I-PER', 'O', 'O', 'O', 'B-LOC']);
    expect(predictedSpans(s)).toEqual([{ start: 0, end: 2, type: 'PER', score: 0.9 }, { start: 5, end: 6, type: 'LOC', score: 0.6 }]);
    dropEntitiesBelow([doc], 1);
    expect(s.predicted).toEqual(['O', 'O', 'O', 'O', 'O', 'O']);
    expect(s.entityScores).toEqual([]);
  });
});

describe('minScore in the tagging API (bundled model)', () => {
  let tagger: Tagger;
  const text = 'Angela Merkel met Emmanuel Macron in Paris on Monday with Tellco executives and the Zorblat people.';
  beforeAll(async () => {
    tagger = await Tagger.load();
  });

  it('tag, tagBatch and tagTokens keep exactly the entities scored at least minScore, their tags O otherwise', async () => {
    const all = await tagger.tag(text);
    const scores = all.entities.map((e) => e.score);
    expect(Math.min(...scores)).toBeLessThan(0.9); // something to drop
    const threshold = 0.9;
    const kept = await tagger.tag(text, { minScore: threshold });
    expect(kept.entities).toEqual(all.entities.filter((e) => e.score >= threshold));
    const tagOf = (r: typeof all) => r.sentences.flatMap((s) => s.tokens.map((t) => t.tag));
    const droppedTokens = new Set(all.entities.filter((e) => e.score < threshold).flatMap((e) => all.sentences.flatMap((s) => s.tokens).filter((t) => t.start >= e.start && t.end <= e.end).map((t) => t.start)));
    const tokens = all.sentences.flatMap((s) => s.tokens);
    expect(tagOf(kept)).toEqual(tokens.map((t) => (droppedTokens.has(t.start) ? 'O' : t.tag)));
    expect(await tagger.tagBatch([text, text], { minScore: threshold })).toEqual([kept, kept]);
    const words = all.sentences.map((s) => s.tokens.map((t) => t.text));
    const [byTokens] = await tagger.tagTokens(words, { minScore: threshold });
    expect(byTokens.entities.map((e) => e.score)).toEqual(kept.entities.map((e) => e.score));
    expect(byTokens.tags).toEqual(tagOf(kept));
    expect(await tagger.tag(text, { minScore: 0 })).toEqual(all);
  });

  it('withMinScore filters what a tagger tags, rendered or not', async () => {
    const filtered = withMinScore(tagger, 0.9);
    const doc = tokenize(text);
    await filtered.tagDocuments([doc]);
    expect(predictedSpans(doc.sentences[0]).every((s) => s.score! >= 0.9)).toBe(true);
    const [line] = await filtered.tagBatchRendered!([text], { format: 'jsonl' });
    expect(JSON.parse(line)).toEqual(await tagger.tag(text, { minScore: 0.9 }));
    expect(withMinScore(tagger, undefined)).toBe(tagger);
  });

  it('refuses a minScore that is not a number from 0 to 1, naming the method', async () => {
    await expectNerError(() => tagger.tag(text, { minScore: 1.5 }), 'E_CONFIG', /Tagger\.tag: options\.minScore must be a number from 0 to 1/);
    await expectNerError(() => tagger.tagBatch([text], { minScore: '0.5' as never }), 'E_CONFIG', /Tagger\.tagBatch: options\.minScore.*a string/);
    await expectNerError(() => tagger.tagTokens([['a']], { minScore: Number.NaN }), 'E_CONFIG', /Tagger\.tagTokens: options\.minScore/);
    await expectNerError(() => tagger.tag(text, { minScor: 0.5 } as never), 'E_CONFIG', /unknown option "minScor"/);
  });
});
