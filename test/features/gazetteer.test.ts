import { describe, expect, it } from 'vitest';
import { documentFromWords, type Document } from '../../src/core/document/document.js';
import { NerError } from '../../src/core/errors.js';
import { Gazetteer, MULTI_TYPE, parseGazetteerText } from '../../src/core/features/gazetteer.js';
import { countEntities, trainingEntityLists, trainingGazetteers } from '../../src/core/features/gazetteer-training.js';
import { FeatureSet } from '../../src/core/features/token-features.js';

const lists = { LOC: ['New York', 'New York City', 'York', 'Georgia'], ORG: ['Bank of England'], PER: ['May', 'Georgia'] };

describe('Gazetteer.match', () => {
  const g = Gazetteer.from(lists);

  it('gives the longest entry at each start, B- then I-', () => {
    expect(g.match(['He', 'left', 'New', 'York', 'City', 'for', 'York', '.'])).toEqual(['none', 'none', 'B-LOC', 'I-LOC', 'I-LOC', 'none', 'B-LOC', 'none']);
    // A prefix of an entry that is no entry itself matches nothing.
    expect(g.match(['New', 'Jersey'])).toEqual(['none', 'none']);
  });

  it('ignores case, except that a lowercase word does not match a capitalised entry token', () => {
    expect(g.match(['BANK', 'OF', 'ENGLAND'])).toEqual(['B-ORG', 'I-ORG', 'I-ORG']);
    expect(g.match(['the', 'Bank', 'of', 'England'])).toEqual(['none', 'B-ORG', 'I-ORG', 'I-ORG']);
    expect(g.match(['you', 'may', 'go'])).toEqual(['none', 'none', 'none']);
    expect(g.match(['May', 'went'])).toEqual(['B-PER', 'none']);
  });

  it('types an entry listed under several types MULTI, unless the overrides list it', () => {
    expect(g.match(['Georgia'])).toEqual([`B-${MULTI_TYPE}`]);
    expect(g.types).toEqual(['LOC', MULTI_TYPE, 'ORG', 'PER']);
    const trained = Gazetteer.from(lists, { LOC: ['Georgia'] });
    expect(trained.match(['Georgia'])).toEqual(['B-LOC']);
  });

  it('round-trips through toLists', () => {
    const again = Gazetteer.from(g.toLists());
    const words = ['Georgia', 'and', 'New', 'York', 'City', 'Bank', 'of', 'England', 'may'];
    expect(again.match(words)).toEqual(g.match(words));
    expect(again.size).toBe(g.size);
  });

  it('a saved gazetteer that is not lists of strings is an E_MODEL error', () => {
    expect(() => Gazetteer.fromSaved({ LOC: [3] }, 'vocabularies.json')).toThrow(/gazetteer type LOC: expected a list of strings/);
    expect(() => Gazetteer.fromSaved(['LOC'], 'vocabularies.json')).toThrow(NerError);
  });
});

describe('parseGazetteerText', () => {
  it('reads TYPE<tab>entry lines, skipping comments and blank lines', () => {
    expect(parseGazetteerText('# cities\nLOC\tNew   York\n\nPER\tJohn\r\nLOC\tOslo\n', 'g.tsv')).toEqual({ LOC: ['New York', 'Oslo'], PER: ['John'] });
  });

  it.each([
    ['LOC New York\n', /g\.tsv:1: expected TYPE<tab>entry/],
    ['LOC\tOslo\nPER\t  \n', /g\.tsv:2: the entry after type PER is empty/],
    ['B-LOC\tOslo\n', /g\.tsv:1: gazetteer type "B-LOC" is not a name/],
    ['# nothing\n\n', /g\.tsv: the gazetteer file has no entries/],
  ])('a bad file is an E_FORMAT error naming file and line: %j', (text, message) => {
    const err = (() => {
      try {
        parseGazetteerText(text, 'g.tsv');
      } catch (e) {
        return e as NerError;
      }
      throw new Error('no error');
    })();
    expect(err).toBeInstanceOf(NerError);
    expect(err.code).toBe('E_FORMAT');
    expect(err.message).toMatch(message);
  });
});

/** A document of sentences given as `word/TAG` strings. */
function labelled(...sentences: string[]): Document {
  const doc = documentFromWords(sentences.map((s) => s.split(' ').map((t) => t.split('/')[0])));
  doc.sentences.forEach((s, i) => (s.gold = sentences[i].split(' ').map((t) => t.split('/')[1])));
  return doc;
}

describe('training entities', () => {
  const docs = [
    labelled('Acme/B-ORG Corp/I-ORG hired/O Anna/B-PER', 'Paris/B-LOC'),
    labelled('Acme/B-ORG Corp/I-ORG left/O Paris/B-PER'),
    labelled('Acme/B-ORG Corp/I-ORG in/O Paris/B-LOC Paris/B-LOC'),
  ];

  it('keeps entities with enough occurrences and a pure enough type, under their most frequent type', () => {
    const counts = countEntities(docs);
    expect(counts.get('acme corp')!.byType.get('ORG')).toBe(3);
    expect(trainingEntityLists(counts, { minCount: 2, minPurity: 0.7 })).toEqual({ ORG: ['Acme Corp'], LOC: ['Paris'] });
    // Paris is LOC 3 times of 4: below a purity of 0.8.
    expect(trainingEntityLists(counts, { minCount: 2, minPurity: 0.8 })).toEqual({ ORG: ['Acme Corp'] });
    expect(trainingEntityLists(counts, { minCount: 1, minPurity: 1 })).toEqual({ ORG: ['Acme Corp'], PER: ['Anna'] });
  });

  it('encodes each training document with the entities of the other folds only', () => {
    const { model, forDocument } = trainingGazetteers(docs, { lists: {}, fromTraining: { minCount: 1, minPurity: 1 }, folds: 3 });
    expect(model.match(['Anna'])).toEqual(['B-PER']);
    // Anna occurs in document 0 alone: its own fold's gazetteer does not know her.
    expect(forDocument[0].match(['Anna'])).toEqual(['none']);
    expect(forDocument[1].match(['Acme', 'Corp'])).toEqual(['B-ORG', 'I-ORG']);
    const one = trainingGazetteers(docs, { lists: {}, fromTraining: { minCount: 1, minPurity: 1 }, folds: 1 });
    expect(one.forDocument.every((g) => g === one.model)).toBe(true);
  });
});

describe('the gazetteer feature', () => {
  const specs = [{ name: 'word' as const, dim: 4 }, { name: 'gazetteer' as const, dim: 2 }];

  it('gives each token its match key from the whole sentence', () => {
    const fs = FeatureSet.build(specs, [['New', 'York', 'is', 'big']], { minCount: 1, gazetteer: Gazetteer.from(lists) });
    const ids = fs.encode(['I', 'love', 'New', 'York', '.']);
    const keys = Array.from({ length: 5 }, (_, i) => fs.vocabularies[1].keys[ids[i * 2 + 1]]);
    expect(keys).toEqual(['none', 'none', 'B-LOC', 'I-LOC', 'none']);
    // The word feature is untouched by it.
    expect(fs.vocabularies[0].keys[ids[2 * 2]]).toBe('new');
  });

  it('without a gazetteer is a clear error', () => {
    expect(() => FeatureSet.build(specs, [['a']])).toThrow(/the gazetteer feature needs a gazetteer/);
  });
});
