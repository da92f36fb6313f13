/**
 * Labelled training data from CoNLL text held in memory (a file a browser page read, a string
 * in a test): what `readLabeledDocuments` does for a file in Node, without the file system.
 */
import { sentencesOf, type Document } from '../document/document.js';
import { convertTags } from '../tags/tag-scheme.js';
import { parseConll, type ConllParseArgs } from './conll-reader.js';

/**
 * Parses CoNLL text into documents whose sentences' `gold` tags are in IOB2 (the scheme
 * models are trained on), converted once from the text's own scheme (IOB1, BIOES). Bad input
 * is a NerError naming `file:line`, as parseConll's.
 *
 * @example
 * const train = parseLabeledConll(await picked.text(), { file: picked.name });
 * const result = await train({ train, dev: train, vectors: null });
 */
export function parseLabeledConll(text: string | Uint8Array, options: ConllParseArgs = {}): Document[] {
  const corpus = parseConll(text, options);
  if (corpus.scheme !== 'IOB2') {
    for (const sentence of sentencesOf(corpus.documents)) sentence.gold = convertTags(sentence.gold!, corpus.scheme, 'IOB2');
  }
  return corpus.documents;
}
