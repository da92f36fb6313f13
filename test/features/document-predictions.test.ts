import { describe, expect, it } from 'vitest';
import { documentFromWords } from '../../src/core/document/document.js';
import { documentPredictionKeys } from '../../src/core/features/document-predictions.js';
import { FeatureSet } from '../../src/core/features/token-features.js';
import { encodeDocuments } from '../../src/core/features/windows.js';

describe('document predictions (the docpred feature)', () => {
  // A club named after its city: ORG twice, once (wrongly) LOC; the city itself LOC.
  const doc = [
    ['Leeds', 'United', 'beat', 'Chelsea'],
    ['Leeds', 'scored', 'twice', 'in', 'London'],
    ['Chelsea', 'fans', 'left', 'London', 'early'],
    ['LEEDS', 'lead', 'the', 'league'],
  ];
  const tags = [
    ['B-ORG', 'I-ORG', 'O', 'B-ORG'],
    ['B-LOC', 'O', 'O', 'O', 'B-LOC'],
    ['B-MISC', 'O', 'O', 'B-LOC', 'O'],
    ['B-ORG', 'O', 'O', 'O'],
  ];

  it('gives each token the majority type of its word elsewhere in the document', () => {
    const keys = documentPredictionKeys(doc, tags);
    // Leeds: the others are ORG (Leeds United), LOC, ORG (LEEDS): ORG for the LOC one.
    expect(keys[1][0]).toBe('ORG');
    // The first Leeds: the others are LOC and ORG: no majority.
    expect(keys[0][0]).toBe('mixed');
    expect(keys[3][0]).toBe('mixed');
    // Chelsea: ORG once, MISC once: each sees the other.
    expect(keys[0][3]).toBe('MISC');
    expect(keys[2][0]).toBe('ORG');
    // London: LOC both times: the others agree, nothing new (and no second-pass work).
    expect(keys[1][4]).toBe('none');
    expect(keys[2][3]).toBe('none');
    // United occurs once; lower-case words never take part; `the` was never in an entity.
    expect(keys[0][1]).toBe('none');
    expect(keys[1].slice(1, 4)).toEqual(['none', 'none', 'none']);
  });

  it('says O when the other occurrences were not entities, and matches words normalised', () => {
    const keys = documentPredictionKeys([['Stocks', 'fell'], ['Stocks', 'Ltd', 'rose'], ['STOCKS', 'rallied']], [['O', 'O'], ['B-ORG', 'I-ORG', 'O'], ['O', 'O']]);
    expect(keys[1][0]).toBe('O'); // Stocks (ORG here) is O twice elsewhere, STOCKS included
    expect(keys[0][0]).toBe('mixed'); // the others: ORG and O
    // Agreeing with the majority of the others says nothing new.
    const agreeing = documentPredictionKeys([['Stocks', 'fell'], ['Stocks', 'rose'], ['Stocks', 'slid'], ['Stocks', 'Ltd']], [['O', 'O'], ['O', 'O'], ['O', 'O'], ['B-ORG', 'I-ORG']]);
    expect(agreeing.map((k) => k[0])).toEqual(['none', 'none', 'none', 'O']);
  });

  it('is encoded from the first stage tags of each document; without them every key is none', () => {
    const fs = FeatureSet.build([{ name: 'docpred', dim: 4 }], doc, { entityTypes: ['LOC', 'MISC', 'ORG', 'PER'] });
    expect(fs.usesFirstStage).toBe(true);
    const vocab = fs.vocabularies[0];
    expect(vocab.keys.slice(2)).toEqual(['LOC', 'MISC', 'ORG', 'PER', 'O', 'mixed', 'none']);
    const keysOf = (firstStage?: string[][][]) => Array.from(encodeDocuments(fs, [documentFromWords(doc)], { firstStage }).ids, (id) => vocab.keys[id]);
    expect(new Set(keysOf())).toEqual(new Set(['none']));
    expect(keysOf([tags])).toEqual(documentPredictionKeys(doc, tags).flat());
    // A document left without first-stage tags (training's none share) is all none.
    expect(new Set(keysOf([undefined as unknown as string[][]]))).toEqual(new Set(['none']));
  });

  it('refuses tags that do not match the sentences', () => {
    expect(() => documentPredictionKeys(doc, tags.slice(1))).toThrow(/one tag list per sentence/);
    expect(() => documentPredictionKeys([['Leeds']], [['B-ORG', 'O']])).toThrow(/one tag per token/);
  });
});
