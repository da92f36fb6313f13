/**
 * Which tag may follow which, for the schemes a model can be trained on. A sequence that
 * breaks these (an `I-PER` after `O`) is ill-formed; the Viterbi decoder never produces one.
 */
export type ModelScheme = 'IOB2' | 'BIOES';

function split(tag: string): [string, string] {
  return tag === 'O' ? ['O', ''] : [tag[0], tag.slice(2)];
}

/**
 * May `cur` follow `prev`? `prev` null means `cur` starts the sentence; `cur` null means
 * `prev` ends it.
 *
 * @example
 * allowedTransition('O', 'I-PER', 'IOB2');     // false
 * allowedTransition('B-PER', 'I-PER', 'IOB2'); // true
 */
export function allowedTransition(prev: string | null, cur: string | null, scheme: ModelScheme): boolean {
  const [pp, pt] = prev === null ? ['O', ''] : split(prev);
  const [cp, ct] = cur === null ? ['O', ''] : split(cur);
  if (scheme === 'IOB2') {
    if (cp !== 'I') return true;
    return (pp === 'B' || pp === 'I') && pt === ct;
  }
  // BIOES: inside an entity (after B or I) only I or E of the same type may come.
  const open = pp === 'B' || pp === 'I';
  if (open) return (cp === 'I' || cp === 'E') && pt === ct;
  return cp === 'O' || cp === 'B' || cp === 'S';
}

/** Allowed transitions over a tag list: `allowed[p * T + c]`, and allowed starts and ends. */
export interface TransitionMask {
  allowed: Uint8Array;
  start: Uint8Array;
  end: Uint8Array;
}

// A model has one tag list for its lifetime: its mask is computed once, not per sentence.
const masks = new WeakMap<readonly string[], Map<ModelScheme, TransitionMask>>();

/** The transition mask of a tag list (cached per list and scheme). */
export function transitionMask(tags: readonly string[], scheme: ModelScheme): TransitionMask {
  let byScheme = masks.get(tags);
  if (!byScheme) masks.set(tags, (byScheme = new Map()));
  let mask = byScheme.get(scheme);
  if (!mask) byScheme.set(scheme, (mask = computeMask(tags, scheme)));
  return mask;
}

function computeMask(tags: readonly string[], scheme: ModelScheme): TransitionMask {
  const T = tags.length;
  const allowed = new Uint8Array(T * T);
  const start = new Uint8Array(T);
  const end = new Uint8Array(T);
  for (let c = 0; c < T; c++) {
    start[c] = allowedTransition(null, tags[c], scheme) ? 1 : 0;
    end[c] = allowedTransition(tags[c], null, scheme) ? 1 : 0;
    for (let p = 0; p < T; p++) allowed[p * T + c] = allowedTransition(tags[p], tags[c], scheme) ? 1 : 0;
  }
  return { allowed, start, end };
}

/**
 * The allowed transitions of a mask as lists, for loops that visit only those (Viterbi,
 * forward-backward): into each tag c, `into.tag[into.start[c] .. into.start[c + 1]]` the tags
 * that may precede it; out of each tag p, `out.tag[out.start[p] ..]` those that may follow it;
 * `at[k]` is the pair's index `p * T + c` into the mask (and into transition scores). In
 * increasing tag order, so a sum over a list adds the same terms in the same order as a sum
 * over all T tags that skips the disallowed ones. Cached per mask.
 */
export interface TransitionLists {
  into: { start: Int32Array; tag: Int32Array; at: Int32Array };
  out: { start: Int32Array; tag: Int32Array; at: Int32Array };
}

const lists = new WeakMap<TransitionMask, TransitionLists>();

export function transitionLists(mask: TransitionMask): TransitionLists {
  let cached = lists.get(mask);
  if (!cached) {
    const T = mask.start.length;
    const build = (into: boolean) => {
      const start = new Int32Array(T + 1);
      const tag: number[] = [];
      const at: number[] = [];
      for (let a = 0; a < T; a++) {
        for (let b = 0; b < T; b++) {
          const pair = into ? b * T + a : a * T + b;
          if (!mask.allowed[pair]) continue;
          tag.push(b);
          at.push(pair);
        }
        start[a + 1] = tag.length;
      }
      return { start, tag: Int32Array.from(tag), at: Int32Array.from(at) };
    };
    cached = { into: build(true), out: build(false) };
    lists.set(mask, cached);
  }
  return cached;
}
