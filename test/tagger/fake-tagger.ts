import { tokenize } from '../../src/core/text/tokenize.js';
import { renderResult, type RenderSpec } from '../../src/core/tagger/format.js';
import type { TaggedEntity, TaggedSentence, TagResult, TextTagger } from '../../src/core/tagger/types.js';

/** Entity types of the few words the fake tagger knows. */
const KNOWN: Record<string, string> = {
  Barack: 'PER', Obama: 'PER', Angela: 'PER', Merkel: 'PER', Emmanuel: 'PER', Macron: 'PER',
  Paris: 'LOC', Berlin: 'LOC', 'U.S.': 'LOC', Reuters: 'ORG',
};

/**
 * A stand-in for the model: tags the words of a small dictionary (consecutive words of one
 * type form one entity), everything else O. Records every tagBatch call.
 */
export class FakeTagger implements TextTagger {
  readonly calls: string[][] = [];

  async tag(text: string): Promise<TagResult> {
    return (await this.tagBatch([text]))[0];
  }

  async tagBatch(texts: readonly string[]): Promise<TagResult[]> {
    this.calls.push([...texts]);
    return texts.map(fakeTag);
  }
}

/** The same stand-in, rendering results itself as TaggerPool does; records its calls too. */
export class RenderingFakeTagger extends FakeTagger {
  readonly renderedCalls: RenderSpec[] = [];

  async tagBatchRendered(texts: readonly string[], spec: RenderSpec): Promise<string[]> {
    this.renderedCalls.push(spec);
    return texts.map((text) => renderResult(fakeTag(text), spec));
  }
}

export function fakeTag(text: string): TagResult {
  const entities: TaggedEntity[] = [];
  const sentences: TaggedSentence[] = tokenize(text).map((s) => {
    let previous = 'O';
    const tokens = s.tokens.map((t) => {
      const type = KNOWN[t.text];
      let tag = 'O';
      if (type !== undefined) {
        tag = previous === type ? `I-${type}` : `B-${type}`;
        const last = entities[entities.length - 1];
        if (tag.startsWith('I-') && last !== undefined) {
          entities[entities.length - 1] = { ...last, end: t.end, text: text.slice(last.start, t.end) };
        } else {
          entities.push({ text: t.text, type, start: t.start, end: t.end, score: 0.9 });
        }
      }
      previous = type ?? 'O';
      return { ...t, tag };
    });
    return { start: s.start, end: s.end, tokens };
  });
  return { text, entities, sentences };
}
