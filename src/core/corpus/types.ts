/**
 * What reading a CoNLL file gives beyond the document model (document/document.ts): the
 * corpus as a whole.
 */
import type { Document } from '../document/document.js';
import type { TagScheme } from '../tags/tag-scheme.js';

/**
 * A whole CoNLL file in memory, as `readConll` and `parseConll` return it: documents of
 * sentences whose `gold` tags are the file's tag column, as read (in the file's scheme).
 *
 * @example
 * const corpus = parseConll('Acme B-ORG\nhires O\n');
 * corpus.sentenceCount; // 1
 * corpus.tokenCount;    // 2
 */
export interface Corpus {
  /** The file it was read from (`<text>` for in-memory text without a name). */
  path: string;
  documents: Document[];
  /** The scheme the tags use, as `detectScheme` finds it (IOB2 when there are no entities). */
  scheme: TagScheme;
  sentenceCount: number;
  tokenCount: number;
}
