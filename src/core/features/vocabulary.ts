/** Reserved ids shared by every vocabulary: padding beyond the sentence edges, and unknown keys. */
export const PAD_ID = 0;
export const UNK_ID = 1;
export const PAD = '<PAD>';
export const UNK = '<UNK>';

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
  private readonly index: Map<string, number>;

  private constructor(keys: string[]) {
    this.keys = keys;
    // A plain loop: building [key, id] pairs for a 300k-word vocabulary is most of a model's load time.
    this.index = new Map();
    for (let i = 0; i < keys.length; i++) this.index.set(keys[i], i);
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

  /** The id of `key`, or UNK_ID when it is not in the vocabulary. */
  id(key: string): number {
    return this.index.get(key) ?? UNK_ID;
  }

  has(key: string): boolean {
    return this.index.has(key);
  }
}

/** Counts keys, for building vocabularies with a minimum count. */
export function countKeys(keys: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return counts;
}
