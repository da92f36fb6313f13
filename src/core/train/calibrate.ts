/**
 * Fitting a model's temperature on labelled (dev) documents: what `ner train` does at the end
 * on its dev set, `ner ensemble --dev` for the averaged probabilities, and `ner calibrate` for
 * an existing model. The search itself is decode/temperature.ts.
 */
import { fitTemperature, type GoldSequence, type TemperatureFit } from '../decode/temperature.js';
import { sentencesOf, type Document } from '../document/document.js';
import type { WindowModel } from '../model/window-model.js';
import { spansToTags, tagsToSpans } from '../tags/spans.js';

/** A fit, and the sentences left out of it. */
export interface ModelTemperatureFit extends TemperatureFit {
  /** Sentences whose gold tags the model cannot predict (a type it does not know), left out. */
  skipped: number;
}

/**
 * The temperature that calibrates `model` on the documents (gold tags in any scheme). The
 * model is not changed: give the result to model.withTemperature.
 *
 * @example
 * const fit = await fitModelTemperature(model, dev);
 * const calibrated = model.withTemperature(fit.temperature);
 */
export async function fitModelTemperature(model: WindowModel, documents: readonly Document[]): Promise<ModelTemperatureFit> {
  return fitModelTemperatureOn(model, documents, await model.documentProbabilitiesAsync(documents));
}

/**
 * fitModelTemperature on the network's probabilities `probs` for the documents' tokens, already
 * computed. The fit is on what the model decodes (its document consistency mixed in).
 */
export function fitModelTemperatureOn(model: WindowModel, documents: readonly Document[], probs: Float32Array): ModelTemperatureFit {
  const { sequences, skipped } = goldSequences(model, documents, model.decodingProbabilities(documents, probs));
  return { ...fitTemperature(sequences, (t) => model.tagChain(t)), skipped };
}

/**
 * Each sentence's probabilities and gold tags as the model's tag indices (gold converted to
 * the model's scheme), leaving out sentences whose gold tags the model cannot produce.
 */
function goldSequences(model: WindowModel, documents: readonly Document[], probs: Float32Array): { sequences: GoldSequence[]; skipped: number } {
  const { tags, scheme } = model.config;
  const T = tags.length;
  const index = new Map(tags.map((t, i) => [t, i]));
  const chain = model.tagChain(1);
  const sequences: GoldSequence[] = [];
  let skipped = 0;
  let t = 0;
  for (const sentence of sentencesOf(documents)) {
    const n = sentence.tokens.length;
    const p = probs.subarray(t * T, (t + n) * T);
    t += n;
    if (n === 0 || !sentence.gold) continue;
    const gold = spansToTags(tagsToSpans(sentence.gold), n, scheme).map((tag) => index.get(tag) ?? -1);
    // An unknown type, or (never after the conversion) a sequence the scheme forbids.
    if (gold.includes(-1) || !Number.isFinite(chain.logLikelihood(p, n, gold))) {
      skipped++;
      continue;
    }
    sequences.push({ probs: p, n, gold });
  }
  return { sequences, skipped };
}
