import { describe, expect, it } from 'vitest';
import { documentFromWords, type Document } from '../../src/core/document/document.js';
import {
  isTagFormat, renderConll, renderDocument, renderJson, renderJsonl, renderPretty, TAG_FORMATS, toTagResult, type RenderSpec, type TagResult,
} from '../../src/core/tagger/format.js';
import { tokenize } from '../../src/core/text/tokenize.js';
import { fakeDocument } from './fake-tagger.js';

const TEXT = 'Barack Obama visited Paris. He left.';

/** A document of the given sentences (words and their tags), with text and offsets as tokenize makes them. */
function tagged(text: string, tags: string[][], scores?: number[][]): Document {
  const doc = tokenize(text);
  doc.sentences.forEach((s, i) => {
    s.predicted = tags[i];
    s.scores = scores?.[i] ?? tags[i].map(() => 1);
  });
  return doc;
}

describe('toTagResult and renderJson', () => {
  it('writes the empty document exactly as the contract says', () => {
    expect(renderJson(tokenize(''))).toBe('{"text":"","entities":[],"sentences":[]}\n');
    expect(toTagResult(tokenize(''))).toEqual({ text: '', entities: [], sentences: [] });
  });

  it('writes the contract fields, in order, and nothing else', () => {
    const doc = fakeDocument(TEXT);
    // What else a document carries (gold tags, CoNLL source) stays out of the output.
    doc.sentences[0].gold = doc.sentences[0].tokens.map(() => 'O');
    doc.source = { line: 3 };
    const json = renderJson(doc);
    expect(json.endsWith('\n')).toBe(true);
    expect(json.split('\n')).toHaveLength(2);
    const parsed = JSON.parse(json) as TagResult;
    expect(parsed).toEqual(toTagResult(doc));
    expect(Object.keys(parsed)).toEqual(['text', 'entities', 'sentences']);
    expect(Object.keys(parsed.entities[0])).toEqual(['text', 'type', 'start', 'end', 'score']);
    expect(Object.keys(parsed.sentences[0])).toEqual(['start', 'end', 'tokens']);
    expect(Object.keys(parsed.sentences[0].tokens[0])).toEqual(['text', 'start', 'end', 'tag']);
    expect(parsed.entities).toEqual([
      { text: 'Barack Obama', type: 'PER', start: 0, end: 12, score: 0.9 },
      { text: 'Paris', type: 'LOC', start: 21, end: 26, score: 0.9 },
    ]);
    for (const e of parsed.entities) expect(parsed.text.slice(e.start, e.end)).toBe(e.text);
    for (const t of parsed.sentences.flatMap((s) => s.tokens)) expect(parsed.text.slice(t.start, t.end)).toBe(t.text);
  });

  it("scores an entity with the mean of its tokens' scores, and reads entities of every sentence", () => {
    const doc = tagged('Kofi Annan left. Paris.', [['B-PER', 'I-PER', 'O', 'O'], ['B-LOC', 'O']], [[0.5, 1, 0.2, 0.2], [0.75, 1]]);
    expect(toTagResult(doc).entities).toEqual([
      { text: 'Kofi Annan', type: 'PER', start: 0, end: 10, score: 0.75 },
      { text: 'Paris', type: 'LOC', start: 17, end: 22, score: 0.75 },
    ]);
  });

  it('keeps astral characters and lone surrogates valid JSON', () => {
    const text = 'Paris 😀 \ud800';
    expect(JSON.parse(renderJson(fakeDocument(text))).text).toBe(text);
  });

  it('refuses a document that was not tagged, or has no text', () => {
    expect(() => renderJson(tokenize('Paris'))).toThrow(/not been tagged/);
    const words = documentFromWords([['Paris']]);
    words.sentences[0].predicted = ['B-LOC'];
    expect(() => renderJson(words)).toThrow(/made from text/);
    expect(() => renderPretty(words)).toThrow(/made from text/);
  });
});

describe('renderJsonl', () => {
  it('writes one line per document, in order', () => {
    const lines = renderJsonl(['Paris', '', 'Barack Obama'].map(fakeDocument)).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    expect(lines.slice(0, 3).map((l) => (JSON.parse(l) as TagResult).text)).toEqual(['Paris', '', 'Barack Obama']);
  });
});

describe('renderConll', () => {
  it('writes TOKEN TAG lines with a blank line between sentences', () => {
    expect(renderConll(fakeDocument(TEXT))).toBe(
      'Barack B-PER\nObama I-PER\nvisited O\nParis B-LOC\n. O\n\nHe O\nleft O\n. O\n',
    );
  });

  it('starts with a blank line after earlier sentences, and writes nothing for no sentences', () => {
    expect(renderConll(fakeDocument('Paris'), { afterSentence: true })).toBe('\nParis B-LOC\n');
    expect(renderConll(fakeDocument('   '), { afterSentence: true })).toBe('');
  });

  it('always writes two columns', () => {
    const doc = documentFromWords([['a b', '']]);
    doc.sentences[0].predicted = ['O', ''];
    expect(renderConll(doc)).toBe('a_b O\n_ _\n');
  });

  it('renders a document of words, which has no text', () => {
    const doc = documentFromWords([['Kofi', 'Annan'], ['Paris']]);
    doc.sentences[0].predicted = ['B-PER', 'I-PER'];
    doc.sentences[1].predicted = ['B-LOC'];
    expect(renderConll(doc)).toBe('Kofi B-PER\nAnnan I-PER\n\nParis B-LOC\n');
  });
});

describe('renderPretty', () => {
  it('marks entities with brackets and keeps the text between them exactly', () => {
    const text = '  Barack Obama\tvisited\u00a0Paris 😀.\n';
    const pretty = renderPretty(fakeDocument(text));
    expect(pretty).toBe('  [Barack Obama]PER\tvisited\u00a0[Paris]LOC 😀.\n');
    expect(pretty.replace(/\[([^\]]*)\](?:PER|LOC)/g, '$1')).toBe(text);
  });

  it('colours entities with ANSI escapes when asked', () => {
    const pretty = renderPretty(fakeDocument('Barack Obama in Paris'), { color: true });
    expect(pretty).toBe('\u001b[1;36m[Barack Obama]\u001b[22mPER\u001b[0m in \u001b[1;32m[Paris]\u001b[22mLOC\u001b[0m');
  });

  it('marks the entities of every sentence, in order, and ends with the text after the last', () => {
    const doc = tagged('New York City. Then Oslo, then more', [['B-LOC', 'I-LOC', 'I-LOC', 'O'], ['O', 'B-LOC', 'O', 'O', 'O']]);
    expect(renderPretty(doc)).toBe('[New York City]LOC. Then [Oslo]LOC, then more');
  });

  it('gives the empty text for the empty document', () => {
    expect(renderPretty(tokenize(''))).toBe('');
  });
});

describe('TAG_FORMATS', () => {
  it('lists the contract formats', () => {
    expect(TAG_FORMATS).toEqual(['pretty', 'json', 'jsonl', 'conll', 'html']);
    expect(isTagFormat('jsonl')).toBe(true);
    expect(isTagFormat('xml')).toBe(false);
  });
});

describe('renderDocument', () => {
  it('renders one document on its own in each line format', () => {
    const doc = fakeDocument(TEXT);
    expect(renderDocument(doc, { format: 'jsonl' })).toBe(renderJson(doc));
    expect(renderDocument(doc, { format: 'conll' })).toBe(renderConll(doc));
    expect(renderDocument(doc, { format: 'conll' }).startsWith('\n')).toBe(false);
    expect(renderDocument(doc, { format: 'pretty' })).toBe('[Barack Obama]PER visited [Paris]LOC. He left.');
    expect(renderDocument(doc, { format: 'pretty', color: true })).toBe(renderPretty(doc, { color: true }));
    expect(renderDocument(tokenize(''), { format: 'conll' })).toBe('');
  });

  it('refuses a format it does not know', () => {
    expect(() => renderDocument(fakeDocument(TEXT), { format: 'json' } as unknown as RenderSpec)).toThrow(/unknown render format json/);
  });
});
