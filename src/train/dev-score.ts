import { tagsToSpans } from '../corpus/spans.js';

/** Entity-level micro precision, recall and F1 (percent) of predicted against gold tags. */
export function scoreTags(gold: readonly (readonly string[])[], predicted: readonly (readonly string[])[]) {
  let g = 0;
  let p = 0;
  let c = 0;
  gold.forEach((tags, i) => {
    const gs = tagsToSpans(tags);
    const ps = tagsToSpans(predicted[i]);
    g += gs.length;
    p += ps.length;
    const keys = new Set(gs.map((s) => `${s.start}:${s.end}:${s.type}`));
    for (const s of ps) if (keys.has(`${s.start}:${s.end}:${s.type}`)) c++;
  });
  const precision = p ? (100 * c) / p : 0;
  const recall = g ? (100 * c) / g : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}
