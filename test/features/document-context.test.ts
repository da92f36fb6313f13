import { describe, expect, it } from 'vitest';
import { documentFromWords } from '../../src/core/document/document.js';
import { DocumentContext } from '../../src/core/features/document-context.js';
import { FeatureSet } from '../../src/core/features/token-features.js';
import { encodeDocuments } from '../../src/core/features/windows.js';

describe('document context', () => {
  const doc = [
    ['JAPAN', 'GET', 'LUCKY', 'WIN'],
    ['Stocks', 'rose', 'in', 'Japan', 'as', 'stocks', 'in', 'Europe', 'fell'],
    ['Europe', 'said', 'Japan', 'and', 'the', 'EU', 'agreed'],
  ];

  it('says how each word is written mid-sentence, ignoring sentence starts', () => {
    const ctx = DocumentContext.of(doc);
    expect(ctx.casingElsewhere('japan')).toBe('title'); // the headline's JAPAN is Japan in the story
    expect(ctx.casingElsewhere('stocks')).toBe('lower'); // sentence-initial Stocks is lower mid-sentence
    expect(ctx.casingElsewhere('europe')).toBe('title');
    expect(ctx.casingElsewhere('eu')).toBe('upper');
    expect(ctx.casingElsewhere('win')).toBe('upper');
    expect(ctx.casingElsewhere('unseen')).toBe('none');
    expect(DocumentContext.of([['Apple', 'and', 'apple', 'and', 'Apple']]).casingElsewhere('apple')).toBe('both');
  });

  it('sentences of one document share a context; different documents do not', () => {
    const fs = FeatureSet.build([{ name: 'doccase', dim: 4 }], []);
    const keys = (docs: string[][][]) => Array.from(encodeDocuments(fs, docs.map(documentFromWords)).ids, (id) => fs.vocabularies[0].keys[id]);
    // Tokens: a Paris | b paris | c Paris. Together, Paris is written both ways mid-sentence.
    expect(keys([[['a', 'Paris'], ['b', 'paris'], ['c', 'Paris']]])).toEqual(['none', 'both', 'none', 'both', 'none', 'both']);
    // The first and last sentences one document, the middle one another.
    expect(keys([[['a', 'Paris'], ['c', 'Paris']], [['b', 'paris']]])).toEqual(['none', 'title', 'none', 'title', 'none', 'lower']);
  });

  it('the doccase feature encodes the document cue per token', () => {
    const fs = FeatureSet.build([{ name: 'doccase', dim: 4 }], doc);
    expect(fs.usesDocuments).toBe(true);
    const enc = encodeDocuments(fs, [documentFromWords(doc)]);
    const vocab = fs.vocabularies[0];
    expect(vocab.keys[enc.ids[0]]).toBe('title'); // JAPAN
    expect(vocab.keys[enc.ids[4]]).toBe('lower'); // Stocks
    const alone = encodeDocuments(fs, doc.map((s) => documentFromWords([s])));
    expect(vocab.keys[alone.ids[0]]).toBe('none'); // JAPAN alone in its document: only at a sentence start
    expect(vocab.keys[alone.ids[3]]).toBe('upper'); // WIN: upper mid-sentence
  });
});
