import { describe, expect, it } from 'vitest';
import {
  isTagFormat, renderResult, resultToConll, resultToJson, resultToPretty, resultsToJsonl, TAG_FORMATS, type RenderSpec,
} from '../../src/core/tagger/format.js';
import type { TagResult } from '../../src/core/tagger/types.js';
import { fakeTag } from './fake-tagger.js';

const TEXT = 'Barack Obama visited Paris. He left.';

describe('resultToJson', () => {
  it('writes the empty result exactly as the contract says', () => {
    expect(resultToJson({ text: '', entities: [], sentences: [] })).toBe('{"text":"","entities":[],"sentences":[]}\n');
  });

  it('writes the contract fields, in order, and nothing else', () => {
    const result = fakeTag(TEXT);
    const extra = { ...result, model: 'x', entities: result.entities.map((e) => ({ ...e, tokens: [1] })) };
    const json = resultToJson(extra);
    expect(json.endsWith('\n')).toBe(true);
    expect(json.split('\n')).toHaveLength(2);
    const parsed = JSON.parse(json) as TagResult;
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

  it('keeps astral characters and lone surrogates valid JSON', () => {
    const text = 'Paris 😀 \ud800';
    expect(JSON.parse(resultToJson(fakeTag(text))).text).toBe(text);
  });
});

describe('resultsToJsonl', () => {
  it('writes one line per result, in order', () => {
    const lines = resultsToJsonl(['Paris', '', 'Barack Obama'].map(fakeTag)).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    expect(lines.slice(0, 3).map((l) => (JSON.parse(l) as TagResult).text)).toEqual(['Paris', '', 'Barack Obama']);
  });
});

describe('resultToConll', () => {
  it('writes TOKEN TAG lines with a blank line between sentences', () => {
    expect(resultToConll(fakeTag(TEXT))).toBe(
      'Barack B-PER\nObama I-PER\nvisited O\nParis B-LOC\n. O\n\nHe O\nleft O\n. O\n',
    );
  });

  it('starts with a blank line after earlier sentences, and writes nothing for no sentences', () => {
    expect(resultToConll(fakeTag('Paris'), { afterSentence: true })).toBe('\nParis B-LOC\n');
    expect(resultToConll(fakeTag('   '), { afterSentence: true })).toBe('');
  });

  it('always writes two columns', () => {
    const result: TagResult = {
      text: 'a b',
      entities: [],
      sentences: [{ start: 0, end: 3, tokens: [{ text: 'a b', start: 0, end: 3, tag: 'O' }, { text: '', start: 3, end: 3, tag: '' }] }],
    };
    expect(resultToConll(result)).toBe('a_b O\n_ _\n');
  });
});

describe('resultToPretty', () => {
  it('marks entities with brackets and keeps the text between them exactly', () => {
    const text = '  Barack Obama\tvisited\u00a0Paris 😀.\n';
    const pretty = resultToPretty(fakeTag(text));
    expect(pretty).toBe('  [Barack Obama]PER\tvisited\u00a0[Paris]LOC 😀.\n');
    expect(pretty.replace(/\[([^\]]*)\](?:PER|LOC)/g, '$1')).toBe(text);
  });

  it('colours entities with ANSI escapes when asked', () => {
    const pretty = resultToPretty(fakeTag('Barack Obama in Paris'), { color: true });
    expect(pretty).toBe('\u001b[1;36m[Barack Obama]\u001b[22mPER\u001b[0m in \u001b[1;32m[Paris]\u001b[22mLOC\u001b[0m');
  });

  it('skips overlapping and out-of-range entities without changing the text', () => {
    const result: TagResult = {
      text: 'New York City',
      entities: [
        { text: 'York City', type: 'LOC', start: 4, end: 13, score: 1 },
        { text: 'New York', type: 'LOC', start: 0, end: 8, score: 1 },
        { text: 'x', type: 'LOC', start: 12, end: 40, score: 1 },
      ],
      sentences: [],
    };
    expect(resultToPretty(result)).toBe('[New York]LOC City');
    expect(result.entities[0].start).toBe(4); // not sorted in place
  });

  it('gives the empty text for the empty result', () => {
    expect(resultToPretty({ text: '', entities: [], sentences: [] })).toBe('');
  });
});

describe('TAG_FORMATS', () => {
  it('lists the contract formats', () => {
    expect(TAG_FORMATS).toEqual(['pretty', 'json', 'jsonl', 'conll']);
    expect(isTagFormat('jsonl')).toBe(true);
    expect(isTagFormat('xml')).toBe(false);
  });
});

describe('renderResult', () => {
  it('renders one result on its own in each line format', () => {
    const result = fakeTag(TEXT);
    expect(renderResult(result, { format: 'jsonl' })).toBe(resultToJson(result));
    expect(renderResult(result, { format: 'conll' })).toBe(resultToConll(result));
    expect(renderResult(result, { format: 'conll' }).startsWith('\n')).toBe(false);
    expect(renderResult(result, { format: 'pretty' })).toBe('[Barack Obama]PER visited [Paris]LOC. He left.');
    expect(renderResult(result, { format: 'pretty', color: true })).toBe(resultToPretty(result, { color: true }));
    expect(renderResult({ text: '', entities: [], sentences: [] }, { format: 'conll' })).toBe('');
  });

  it('refuses a format it does not know', () => {
    expect(() => renderResult(fakeTag(TEXT), { format: 'json' } as unknown as RenderSpec)).toThrow(/unknown render format json/);
  });
});
