import { casingId, CASING_CLASSES } from './casing.js';
import { NO_TOPIC, type DocumentTopics } from './document-topics.js';
import { normalizeWord } from './normalize.js';

const TITLE = CASING_CLASSES.indexOf('title');
const LOWER = CASING_CLASSES.indexOf('lower');
const UPPER = CASING_CLASSES.indexOf('upper');

/** How a word is written elsewhere in its document, away from sentence starts. */
export type CasingElsewhere = 'title' | 'lower' | 'both' | 'upper' | 'none';

/**
 * What a whole document says about its words. A window sees five tokens; the document often
 * knows more: a sentence-initial `Stocks` is written `stocks` further on, a headline's
 * `JAPAN` is `Japan` in the story. That is the classic "context aggregation" cue of NER
 * (Ratinov and Roth 2009) in its simplest form.
 *
 * @example
 * const ctx = DocumentContext.of([['JAPAN', 'WIN'], ['Japan', 'won', 'in', 'Tokyo']]);
 * ctx.casingElsewhere('japan'); // 'title'
 */
export class DocumentContext {
  private readonly counts: Map<string, [number, number, number]>;
  /** The document's `doctopic` key (DocumentTopics.keyOf), NO_TOPIC without topics. */
  readonly topic: string;

  private constructor(counts: Map<string, [number, number, number]>, topic: string) {
    this.counts = counts;
    this.topic = topic;
  }

  /**
   * Counts, for every word of the document, how often it is title-case, lower- and upper-case
   * mid-sentence; with `topics` (the `doctopic` feature's), finds the document's topic.
   */
  static of(sentences: readonly (readonly string[])[], topics?: DocumentTopics | null): DocumentContext {
    const counts = new Map<string, [number, number, number]>();
    for (const words of sentences) {
      for (let i = 1; i < words.length; i++) {
        const c = casingId(words[i]);
        const slot = c === TITLE ? 0 : c === LOWER ? 1 : c === UPPER ? 2 : -1;
        if (slot < 0) continue;
        const key = normalizeWord(words[i]);
        let entry = counts.get(key);
        if (!entry) counts.set(key, (entry = [0, 0, 0]));
        entry[slot as 0 | 1 | 2]++;
      }
    }
    return new DocumentContext(counts, topics ? topics.keyOf(sentences) : NO_TOPIC);
  }

  /** How the (normalised) word is written mid-sentence in this document. */
  casingElsewhere(normalized: string): CasingElsewhere {
    const entry = this.counts.get(normalized);
    if (!entry) return 'none';
    const [title, lower, upper] = entry;
    if (title > 0) return lower > 0 ? 'both' : 'title';
    if (lower > 0) return 'lower';
    return upper > 0 ? 'upper' : 'none';
  }
}
