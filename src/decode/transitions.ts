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

/** The matrix `allowed[p * T + c]` over a tag list, plus allowed starts and ends. */
export function transitionMask(tags: readonly string[], scheme: ModelScheme) {
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
