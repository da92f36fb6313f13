/** Reserved ids shared by every vocabulary: padding beyond the sentence edges, and unknown keys. */
export const PAD_ID = 0;
export const UNK_ID = 1;
export const PAD = '<PAD>';
export const UNK = '<UNK>';

/** Vocabularies this large scan their keys for the first lookups (see Vocabulary.id)... */
const SCAN_FROM_KEYS = 20_000;
/** ...this many of them: each costs about 1/40 of building the index of 180k keys. */
const SCANS_BEFORE_INDEX = 16;

/**
 * A string -> id mapping with `<PAD>` = 0 and `<UNK>` = 1 reserved.
 *
 * @example
 * const v = Vocabulary.from(['berlin', 'paris']);
 * v.id('paris'); // 3
 * v.id('rome');  // 1 (UNK_ID)
 */
export class Vocabulary {
  readonly keys: readonly string[];
  /** Built on first need (see id): 180,869 words take 30-40 ms, a tenth of `ner tag`'s start-up. */
  private index: Map<string, number> | undefined;
  /** Lookups answered by scanning `keys` while there is no index yet. */
  private scans = 0;

  private constructor(keys: string[]) {
    this.keys = keys;
  }

  private built(): Map<string, number> {
    // A plain loop: building [key, id] pairs for a 300k-word vocabulary is most of a model's load time.
    const index = new Map<string, number>();
    const { keys } = this;
    for (let i = 0; i < keys.length; i++) index.set(keys[i], i);
    this.index = index;
    return index;
  }

  /** A vocabulary of the given keys (duplicates dropped, first occurrence wins), after PAD and UNK. */
  static from(keys: Iterable<string>): Vocabulary {
    const seen = new Set<string>([PAD, UNK]);
    const list = [PAD, UNK];
    for (const k of keys) {
      if (!seen.has(k)) {
        seen.add(k);
        list.push(k);
      }
    }
    return new Vocabulary(list);
  }

  /** Rebuilds a saved vocabulary: `keys` must start with PAD and UNK, as `keys` did when saved. */
  static fromSaved(keys: string[]): Vocabulary {
    if (keys[PAD_ID] !== PAD || keys[UNK_ID] !== UNK) throw new Error('vocabulary does not start with <PAD> <UNK>');
    return new Vocabulary(keys);
  }

  get size(): number {
    return this.keys.length;
  }

  /**
   * The id of `key`, or UNK_ID when it is not in the vocabulary. The first few lookups in a
   * large vocabulary scan the keys (under 1 ms each for 180k words) instead of building the
   * index: tagging one short text needs no more. The last occurrence of a key wins either
   * way, as in the index.
   */
  id(key: string): number {
    const index = this.index;
    if (index !== undefined) return index.get(key) ?? UNK_ID;
    if (this.keys.length >= SCAN_FROM_KEYS && this.scans++ < SCANS_BEFORE_INDEX) {
      const at = this.keys.lastIndexOf(key);
      return at < 0 ? UNK_ID : at;
    }
    return this.built().get(key) ?? UNK_ID;
  }

  has(key: string): boolean {
    return (this.index ?? this.built()).has(key);
  }
}

/** Counts keys, for building vocabularies with a minimum count. */
export function countKeys(keys: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return counts;
}
