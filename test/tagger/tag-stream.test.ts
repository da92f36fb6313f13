import { describe, expect, it } from 'vitest';
import type { Document } from '../../src/core/document/document.js';
import { renderDocument, type RenderSpec } from '../../src/core/tagger/format.js';
import { BATCH_LINES, tagAndRender, tagLines, type TagProgress } from '../../src/core/tagger/tag-stream.js';
import { tokenize } from '../../src/core/text/tokenize.js';
import type { DocumentTagger } from '../../src/core/tagger/types.js';
import { textToLines, type InputLine } from '../../src/core/text/input-lines.js';
import { fakeDocument, FakeTagger, fakeTagInto, RenderingFakeTagger } from './fake-tagger.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function collect(stream: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const x of stream) out.push(x);
  return out;
}

/** What tagging each line on its own and rendering it gives, joined as each format joins lines. */
function expected(text: string, spec: RenderSpec): string {
  const lines = textToLines(text);
  const rendered = lines.map((l) => renderDocument(fakeDocument(l.text), spec));
  if (spec.format === 'jsonl') return rendered.join('');
  if (spec.format === 'conll') return rendered.filter((r) => r !== '').join('\n');
  const out = rendered.map((r, i) => r + lines[i].ending).join('');
  return lines.length > 0 && lines[lines.length - 1].ending === '' ? `${out}\n` : out;
}

/** A fake that takes `delay(call)` ms per call and records how many calls ran at once. */
class SlowTagger extends FakeTagger {
  running = 0;
  most = 0;
  constructor(private readonly delay: (call: number) => number) {
    super();
  }
  override async tagDocuments(documents: readonly Document[]): Promise<void> {
    const call = this.calls.length;
    this.running++;
    this.most = Math.max(this.most, this.running);
    await super.tagDocuments(documents);
    await sleep(this.delay(call));
    this.running--;
  }
}

const INPUT = 'Barack Obama left. He won.\r\n\n  \nParis is big.\n\nAngela Merkel\nno entity';

describe('tagLines', () => {
  it.each<RenderSpec>([{ format: 'jsonl' }, { format: 'conll' }, { format: 'pretty' }, { format: 'pretty', color: true }])(
    'joins the lines of %j as the format says, across batches',
    async (spec) => {
      const lines = textToLines(INPUT);
      // One line per block, so that every boundary between lines is one between chunks too.
      const out = await collect(tagLines(new FakeTagger(), lines.map((l) => [l]), spec));
      expect(out.join('')).toBe(expected(INPUT, spec));
      const rendering = await collect(tagLines(new RenderingFakeTagger(), [lines], spec));
      expect(rendering.join('')).toBe(expected(INPUT, spec));
    },
  );

  it.each<RenderSpec>([{ format: 'jsonl' }, { format: 'conll' }, { format: 'pretty' }])(
    'tells onProgress the lines, bytes and tokens done in %j, as tokenize counts the tokens',
    async (spec) => {
      // Quotes, a token "tag" and the text of the jsonl key itself: none is counted twice.
      const text = 'Obama said "tag" in Paris.\nHe wrote "tag":" twice. Then left.\n\n  \nthe end';
      const lines = textToLines(text);
      const seen: TagProgress[] = [];
      await collect(tagLines(new RenderingFakeTagger(), lines.map((l) => [l]), spec, { onProgress: (p) => seen.push(p) }));
      const tokens = lines.map((l) => tokenize(l.text).sentences.reduce((n, s) => n + s.tokens.length, 0));
      expect(seen.map((p) => p.tokens)).toEqual(tokens.map((_, i) => tokens.slice(0, i + 1).reduce((a, b) => a + b, 0)));
      expect(seen.at(-1)).toEqual({ lines: 5, tokens: tokens.reduce((a, b) => a + b, 0), bytes: new TextEncoder().encode(text).length });
      expect(tokens[1]).toBeGreaterThan(8);
    },
  );

  it('gives nothing for no lines, and pretty ends the output with a line break', async () => {
    expect((await collect(tagLines(new FakeTagger(), [], { format: 'jsonl' }))).join('')).toBe('');
    expect((await collect(tagLines(new FakeTagger(), [textToLines('Paris')], { format: 'pretty' }))).join('')).toBe('[Paris]LOC\n');
  });

  it('cuts big blocks into batches of at most BATCH_LINES lines', async () => {
    const lines: InputLine[] = Array.from({ length: 2 * BATCH_LINES + 5 }, (_, i) => ({ text: `Line ${i} in Paris`, line: i + 1, ending: '\n' }));
    const tagger = new FakeTagger();
    const out = await collect(tagLines(tagger, [lines], { format: 'jsonl' }));
    expect(tagger.calls.map((c) => c.length)).toEqual([BATCH_LINES, BATCH_LINES, 5]);
    expect(out).toHaveLength(3);
    expect(out.join('').split('\n').slice(0, -1).map((l) => JSON.parse(l).text)).toEqual(lines.map((l) => l.text));
  });

  it('tags inFlight batches at once and still yields them in order', async () => {
    const blocks = Array.from({ length: 12 }, (_, i) => textToLines(`Line ${i} about Paris\n`));
    // Early batches are the slowest, so later ones finish first.
    const tagger = new SlowTagger((call) => (12 - call) * 2);
    const out = await collect(tagLines(tagger, blocks, { format: 'jsonl' }, { inFlight: 4 }));
    expect(out.map((l) => JSON.parse(l).text)).toEqual(blocks.map((b) => b[0].text));
    expect(tagger.most).toBe(4);
  });

  it('reads no further ahead than inFlight batches while its consumer waits', async () => {
    let read = 0;
    async function* blocks(): AsyncGenerator<InputLine[]> {
      for (let i = 0; i < 50; i++) {
        read++;
        yield textToLines(`Paris ${i}\n`);
      }
    }
    const stream = tagLines(new FakeTagger(), blocks(), { format: 'jsonl' }, { inFlight: 2 });
    let taken = 0;
    for await (const _ of stream) {
      taken++;
      await sleep(1);
      expect(read).toBeLessThanOrEqual(taken + 2);
    }
    expect(taken).toBe(50);
  });
});

describe('tagAndRender', () => {
  it('renders blank texts without the model, in their place', async () => {
    const tagger = new FakeTagger();
    const out = await tagAndRender(tagger, ['', 'Paris', ' \t', 'Berlin'], { format: 'jsonl' });
    expect(tagger.calls).toEqual([['Paris', 'Berlin']]);
    expect(out.map((l) => JSON.parse(l))).toEqual([
      { text: '', entities: [], sentences: [] },
      JSON.parse(renderDocument(fakeDocument('Paris'), { format: 'jsonl' })),
      { text: ' \t', entities: [], sentences: [] },
      JSON.parse(renderDocument(fakeDocument('Berlin'), { format: 'jsonl' })),
    ]);
    const none = new FakeTagger();
    expect(await tagAndRender(none, ['', '  '], { format: 'conll' })).toEqual(['', '']);
    expect(none.calls).toEqual([]);
  });

  it('uses the tagger\'s own rendering where it has one, and checks its count', async () => {
    const tagger = new RenderingFakeTagger();
    expect(await tagAndRender(tagger, ['Paris'], { format: 'pretty' })).toEqual(['[Paris]LOC']);
    expect(tagger.calls).toEqual([]);
    const wrong: DocumentTagger = { tagDocuments: async (docs) => docs.forEach(fakeTagInto), tagBatchRendered: async () => ['x'] };
    await expect(tagAndRender(wrong, ['a', 'b'], { format: 'jsonl' })).rejects.toThrow(/returned 1 results for 2 texts/);
  });
});
