/**
 * The doctopic feature's document topics: deterministic clustering, one topic per document at
 * training and at tagging, checked when read back from a model.
 */
import { describe, expect, it } from 'vitest';
import { documentFromWords } from '../../src/core/document/document.js';
import { DocumentContext } from '../../src/core/features/document-context.js';
import { DocumentTopics, NO_TOPIC, type TopicTrainingArgs } from '../../src/core/features/document-topics.js';
import { FeatureSet } from '../../src/core/features/token-features.js';
import { encodeDocuments } from '../../src/core/features/windows.js';
import { NerError } from '../../src/core/errors.js';

// Invented documents of three kinds: football results, company news, weather.
const SPORTS = [
  [['SOCCER', '-', 'LEAGUE', 'RESULTS'], ['Harbor', 'United', '2', 'Bergen', 'City', '1'], ['goals', 'scored', 'in', 'the', 'league', 'match', 'halftime']],
  [['SOCCER', '-', 'CUP', 'MATCH'], ['Oslo', 'beat', 'Lisbon', 'in', 'the', 'cup', 'match'], ['the', 'goals', 'came', 'after', 'halftime', 'league']],
  [['Standings', 'after', 'the', 'league', 'match'], ['Bergen', 'goals', 'points', 'drawn', 'lost'], ['cup', 'halftime', 'goals']],
];
const BUSINESS = [
  [['Nordic', 'Steel', 'shares', 'rose'], ['the', 'company', 'said', 'profit', 'rose', 'in', 'the', 'quarter'], ['shares', 'of', 'the', 'bank', 'fell']],
  [['Bank', 'profit', 'falls'], ['the', 'bank', 'said', 'its', 'quarter', 'profit', 'fell'], ['company', 'shares', 'traded', 'lower']],
  [['Company', 'results'], ['profit', 'and', 'shares', 'in', 'the', 'quarter'], ['the', 'bank', 'and', 'the', 'company', 'said']],
];
const WEATHER = [
  [['Rain', 'in', 'Oslo'], ['rain', 'and', 'wind', 'forecast', 'for', 'the', 'coast'], ['storm', 'warning', 'rain']],
  [['Storm', 'warning'], ['wind', 'and', 'storm', 'on', 'the', 'coast'], ['forecast', 'rain', 'wind']],
];
const DOCS = [...SPORTS, ...BUSINESS, ...WEATHER];
const ARGS: TopicTrainingArgs = { topics: 3, vocabulary: 50, stopwords: 2, iterations: 10, restarts: 4, seed: 7 };

describe('document topics', () => {
  it('clustering is deterministic: the same documents and args give the same vocabulary, idf and centroids', () => {
    const a = DocumentTopics.train(DOCS, ARGS);
    const b = DocumentTopics.train(DOCS.map((d) => d.map((s) => [...s])), ARGS);
    expect(a.count).toBe(3);
    expect(b.toSaved()).toEqual(a.toSaved());
    // The stopwords are the most frequent candidate words (here `the` and one more), not topic words.
    expect(a.words).not.toContain('the');
  });

  it('puts documents of one kind in one topic and kinds apart', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const topics = DocumentTopics.train(DOCS, { ...ARGS, seed });
      const of = (docs: string[][][]) => new Set(docs.map((d) => topics.keyOf(d)));
      const [sports, business, weather] = [of(SPORTS), of(BUSINESS), of(WEATHER)];
      expect([sports.size, business.size, weather.size]).toEqual([1, 1, 1]);
      expect(new Set([...sports, ...business, ...weather]).size).toBe(3);
    }
  });

  it('a document without topic words is none; one sentence alone is a document of its own', () => {
    const topics = DocumentTopics.train(DOCS, ARGS);
    expect(topics.keyOf([['1', '2', '-', '3']])).toBe(NO_TOPIC);
    expect(topics.keyOf([])).toBe(NO_TOPIC);
    expect(topics.keys()).toEqual(['t0', 't1', 't2', NO_TOPIC]);
    const sentence = [['Oslo', 'won', 'the', 'cup', 'match', 'after', 'halftime']];
    expect(topics.keyOf(sentence)).toBe(topics.keyOf(SPORTS[0]));
    expect(DocumentContext.of(sentence, topics).topic).toBe(topics.keyOf(sentence));
    expect(DocumentContext.of(sentence).topic).toBe(NO_TOPIC);
  });

  it('the doctopic feature gives every token its document topic, as keyOf does for the whole document', () => {
    const topics = DocumentTopics.train(DOCS, ARGS);
    const fs = FeatureSet.build([{ name: 'word', dim: 4 }, { name: 'doctopic', dim: 4 }], DOCS.flat(), { topics });
    expect(fs.usesDocuments).toBe(true);
    expect(fs.layout.oneIdPerFeature).toBe(true);
    const docs = [SPORTS[1], BUSINESS[2], [['1', '-', '0']], WEATHER[0]];
    const enc = encodeDocuments(fs, docs.map(documentFromWords));
    const keys = Array.from({ length: enc.length }, (_, t) => fs.vocabularies[1].keys[enc.ids[t * 2 + 1]]);
    const expected = docs.flatMap((d) => d.flat().map(() => topics.keyOf(d)));
    expect(keys).toEqual(expected);
    expect(new Set(keys).size).toBe(4); // three topics and none
    expect(() => FeatureSet.build([{ name: 'doctopic', dim: 4 }], DOCS.flat())).toThrow(/doctopic feature needs document topics/);
  });

  it('a saved topic table reads back to the same topics; a damaged one is an E_MODEL error naming the field', () => {
    const topics = DocumentTopics.train(DOCS, ARGS);
    const saved = JSON.parse(JSON.stringify(topics.toSaved()));
    const again = DocumentTopics.fromSaved(saved, 'vocabularies.json');
    expect(again.toSaved()).toEqual(topics.toSaved());
    for (const d of DOCS) expect(again.keyOf(d)).toBe(topics.keyOf(d));
    const broken = (change: (s: ReturnType<DocumentTopics['toSaved']>) => void) => {
      const copy = JSON.parse(JSON.stringify(saved));
      change(copy);
      try {
        DocumentTopics.fromSaved(copy, 'm/vocabularies.json');
      } catch (err) {
        expect(err).toBeInstanceOf(NerError);
        expect((err as NerError).code).toBe('E_MODEL');
        return (err as Error).message;
      }
      throw new Error('accepted');
    };
    expect(broken((s) => ((s.centroids[1] as unknown[])[3] = 'x'))).toMatch(/^m\/vocabularies\.json: @doctopic\.centroids\[1\]\[3\]: expected a finite number, found "x"/);
    expect(broken((s) => ((s.centroids[2] as unknown[])[0] = null))).toMatch(/@doctopic\.centroids\[2\]\[0\]: expected a finite number, found null/);
    expect(broken((s) => s.centroids[0].pop())).toMatch(/@doctopic\.centroids\[0\]: expected \d+ numbers \(one per topic word\), found \d+/);
    expect(broken((s) => (s.centroids[0] = s.centroids[0].map(() => 0)))).toMatch(/@doctopic\.centroids\[0\]: is all zeros/);
    expect(broken((s) => (s.centroids = []))).toMatch(/@doctopic\.centroids: expected a non-empty list/);
    expect(broken((s) => (s.idf[4] = -1))).toMatch(/@doctopic\.idf\[4\]: expected a positive number/);
    expect(broken((s) => (s.words[1] = s.words[0]))).toMatch(/@doctopic\.words\[1\]: ".*" is listed twice/);
    expect(() => DocumentTopics.fromSaved([], 'v.json')).toThrow(/@doctopic: expected an object/);
  });
});
