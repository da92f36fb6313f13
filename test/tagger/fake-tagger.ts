import type { Document } from '../../src/core/document/document.js';
import { renderDocument, type RenderSpec } from '../../src/core/tagger/format.js';
import type { DocumentTagger } from '../../src/core/tagger/types.js';
import { tokenize } from '../../src/core/text/tokenize.js';

/** Entity types of the few words the fake tagger knows. */
const KNOWN: Record<string, string> = {
  Barack: 'PER', Obama: 'PER', Angela: 'PER', Merkel: 'PER', Emmanuel: 'PER', Macron: 'PER',
  Paris: 'LOC', Berlin: 'LOC', 'U.S.': 'LOC', Reuters: 'ORG',
};

/** The score the fake gives every tag. */
export const FAKE_SCORE = 0.9;

/**
 * A stand-in for the model: tags the words of a small dictionary (consecutive words of one
 * type form one entity), everything else O, each tag with score FAKE_SCORE. Records the
 * texts of every tagDocuments call.
 */
export class FakeTagger implements DocumentTagger {
  readonly calls: string[][] = [];

  async tagDocuments(documents: readonly Document[]): Promise<void> {
    this.calls.push(documents.map((d) => d.text ?? d.sentences.map((s) => s.tokens.map((t) => t.text).join(' ')).join('\n')));
    documents.forEach(fakeTagInto);
  }
}

/** The same stand-in, rendering results itself as TaggerPool does; records its calls too. */
export class RenderingFakeTagger extends FakeTagger {
  readonly renderedCalls: RenderSpec[] = [];

  async tagBatchRendered(texts: readonly string[], spec: RenderSpec): Promise<string[]> {
    this.renderedCalls.push(spec);
    return texts.map((text) => renderDocument(fakeDocument(text), spec));
  }
}

/** `tokenize(text)`, tagged by the fake. */
export function fakeDocument(text: string): Document {
  const doc = tokenize(text);
  fakeTagInto(doc);
  return doc;
}

/** Fills the document's predicted tags and scores as the fake tags them. */
export function fakeTagInto(doc: Document): void {
  for (const sentence of doc.sentences) {
    let previous = 'O';
    sentence.predicted = sentence.tokens.map((t) => {
      const type = KNOWN[t.text];
      const tag = type === undefined ? 'O' : previous === type ? `I-${type}` : `B-${type}`;
      previous = type ?? 'O';
      return tag;
    });
    sentence.scores = sentence.tokens.map(() => FAKE_SCORE);
  }
}
