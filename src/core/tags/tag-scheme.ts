/**
 * Tag schemes: which one a corpus uses, and converting between them.
 *
 * - IOB1 (CoNLL-2003's original): entities start with `I-`; `B-` only where two entities
 *   of the same type touch.
 * - IOB2 (BIO): every entity starts with `B-`.
 * - BIOES (IOBES): `B-` begin, `I-` inside, `E-` end, `S-` single-token entity.
 *
 * Every converter decodes to spans with conlleval's chunk rules and encodes them again, so
 * ill-formed input (`O I-PER`) comes out well-formed, and no converter changes its input.
 */
import { NerError } from '../errors.js';
import { startOfChunk } from './chunk-rules.js';
import { spansToTags, tagsToSpans } from './spans.js';
import { parseTag, tryParseTag, type ParsedTag } from './tag.js';

/** The tag schemes a CoNLL file can use. */
export type TagScheme = 'IOB1' | 'IOB2' | 'BIOES';

export { parseTag, tryParseTag, isTag, validateTags, type ParsedTag, type TagPrefix } from './tag.js';

/** The schemes, for validating user input such as a `--scheme` flag. */
export const TAG_SCHEMES: readonly TagScheme[] = ['IOB1', 'IOB2', 'BIOES'];

const OUTSIDE: ParsedTag = { prefix: 'O', type: '' };

/**
 * Finds the scheme of tag sequences one sentence at a time, for readers that never hold
 * the whole corpus. Any `E-`/`S-` tag means BIOES; otherwise an entity that starts with
 * `I-` means IOB1; otherwise IOB2 (also when there are no entities at all).
 *
 * @example
 * const detector = new SchemeDetector();
 * detector.add(['I-PER', 'O']);
 * detector.scheme; // 'IOB1'
 */
export class SchemeDetector {
  private sawBioes = false;
  private sawIStart = false;

  /** Looks at one sentence's tags; a malformed tag throws a NerError. */
  add(tags: readonly string[]): void {
    if (this.sawBioes) return;
    let prev = OUTSIDE;
    for (const raw of tags) {
      const tag = parseTag(raw);
      if (tag.prefix === 'E' || tag.prefix === 'S') {
        this.sawBioes = true;
        return;
      }
      if (tag.prefix === 'I' && startOfChunk(prev, tag)) this.sawIStart = true;
      prev = tag;
    }
  }

  get scheme(): TagScheme {
    if (this.sawBioes) return 'BIOES';
    return this.sawIStart ? 'IOB1' : 'IOB2';
  }
}

/**
 * The scheme of one tag sequence, or of several (one per sentence: sentence boundaries
 * matter, since an `I-` at a sentence start is an IOB1 start).
 *
 * @example
 * detectScheme(['B-PER', 'I-PER', 'O']);       // 'IOB2'
 * detectScheme([['I-PER', 'O'], ['B-LOC']]);   // 'IOB1'
 * detectScheme(['B-PER', 'E-PER']);            // 'BIOES'
 */
export function detectScheme(tags: readonly string[] | readonly (readonly string[])[]): TagScheme {
  const detector = new SchemeDetector();
  if (tags.length > 0 && typeof tags[0] === 'string') detector.add(tags as readonly string[]);
  else for (const sentence of tags as readonly (readonly string[])[]) detector.add(sentence);
  return detector.scheme;
}

/**
 * Converts a tag sequence from one scheme to another, returning a new array. A tag whose
 * prefix the `from` scheme does not have (`E-`/`S-` in IOB1 or IOB2) is an error, so a
 * mislabelled corpus is noticed rather than silently decoded.
 *
 * @example
 * convertTags(['I-PER', 'B-PER', 'O'], 'IOB1', 'BIOES'); // ['S-PER', 'S-PER', 'O']
 */
export function convertTags(tags: readonly string[], from: TagScheme, to: TagScheme): string[] {
  if (from !== 'BIOES') {
    tags.forEach((raw, i) => {
      // Malformed tags are left to tagsToSpans, which reports them with their position.
      const prefix = tryParseTag(raw)?.prefix;
      if (prefix === 'E' || prefix === 'S') {
        throw new NerError('E_TAG', `tag "${raw}" at position ${i} does not belong to ${from}`, {
          hint: 'E- and S- tags are BIOES; convert from BIOES instead',
        });
      }
    });
  }
  return spansToTags(tagsToSpans(tags), tags.length, to);
}

/**
 * IOB1 to IOB2: every entity starts with `B-`.
 *
 * @example
 * iob1ToIob2(['I-PER', 'I-PER', 'B-PER', 'O', 'I-LOC']);
 * // ['B-PER', 'I-PER', 'B-PER', 'O', 'B-LOC']
 */
export function iob1ToIob2(tags: readonly string[]): string[] {
  return convertTags(tags, 'IOB1', 'IOB2');
}

/**
 * IOB2 to IOB1: `B-` only where an entity follows one of the same type.
 *
 * @example
 * iob2ToIob1(['B-PER', 'I-PER', 'B-PER', 'O', 'B-LOC']);
 * // ['I-PER', 'I-PER', 'B-PER', 'O', 'I-LOC']
 */
export function iob2ToIob1(tags: readonly string[]): string[] {
  return convertTags(tags, 'IOB2', 'IOB1');
}

/**
 * IOB2 to BIOES.
 *
 * @example
 * iob2ToBioes(['B-PER', 'I-PER', 'I-PER', 'O', 'B-LOC']);
 * // ['B-PER', 'I-PER', 'E-PER', 'O', 'S-LOC']
 */
export function iob2ToBioes(tags: readonly string[]): string[] {
  return convertTags(tags, 'IOB2', 'BIOES');
}

/**
 * BIOES to IOB2.
 *
 * @example
 * bioesToIob2(['B-PER', 'E-PER', 'S-PER', 'O']); // ['B-PER', 'I-PER', 'B-PER', 'O']
 */
export function bioesToIob2(tags: readonly string[]): string[] {
  return convertTags(tags, 'BIOES', 'IOB2');
}
