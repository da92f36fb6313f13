/**
 * Distillation's targets: per training token, the teacher's tag probabilities softened at a
 * temperature, mixed with the gold one-hot row. Training on them minimises
 * `(1 - w) * CE(gold) + w * CE(teacher at T)`, which is the cross-entropy against the mixed row.
 */
import type { Document } from '../document/document.js';
import { NerError } from '../errors.js';
import type { WindowModel } from '../model/window-model.js';
import type { TeacherProbabilities } from './teacher-probabilities.js';

/** How the teacher's probabilities enter the targets. */
export interface DistillArgs {
  /** Weight of the teacher's probabilities, in [0, 1]; the gold labels get the rest. */
  weight: number;
  /** The teacher's probabilities are raised to 1/T and renormalised (its logits divided by T). */
  temperature: number;
}

/**
 * Throws unless the teacher predicts exactly the tags the training data has (in any order):
 * its probabilities must be over the student's outputs.
 */
export function checkTeacherTags(teacher: WindowModel, tags: readonly string[]): void {
  const own = teacher.config.tags;
  const same = own.length === tags.length && tags.every((t) => own.includes(t));
  if (!same || teacher.config.scheme !== 'IOB2') {
    const missing = tags.filter((t) => !own.includes(t));
    const extra = own.filter((t) => !tags.includes(t));
    const diff = [missing.length ? `lacks ${missing.join(', ')}` : '', extra.length ? `has ${extra.join(', ')} the training data has not` : '', teacher.config.scheme !== 'IOB2' ? `uses ${teacher.config.scheme}` : '']
      .filter((part) => part !== '')
      .join('; ');
    throw new NerError('E_CONFIG', `the teacher's tags do not match the training data's: the teacher ${diff}`, {
      hint: 'distil from a model trained on the same tag set (the same corpus and entity types, IOB2)',
    });
  }
}

/**
 * The targets `[tokens, tags]` of the training documents' tokens, in the student's tag order:
 * row t is `(1 - weight) * onehot(labels[t]) + weight * softmax(log p_teacher(t) / temperature)`.
 */
export async function softTargets(
  teacher: WindowModel,
  train: readonly Document[],
  tags: readonly string[],
  labels: Int32Array,
  distill: DistillArgs,
): Promise<Float32Array> {
  checkTeacherTags(teacher, tags);
  // The teacher encodes the text with its own vocabularies and features.
  const probs = await teacher.documentProbabilitiesAsync(train);
  if (probs.length !== labels.length * tags.length) throw new Error(`teacher gave ${probs.length / tags.length} tokens' probabilities for ${labels.length} tokens`);
  return mixTargets({ tags: teacher.config.tags, probabilities: probs }, tags, labels, distill);
}

/** softTargets from a teacher's probabilities saved earlier (checked against the data by checkTeacherProbabilities). */
export function mixTargets(
  teacher: TeacherProbabilities,
  tags: readonly string[],
  labels: Int32Array,
  { weight, temperature }: DistillArgs,
): Float32Array {
  const T = tags.length;
  const probs = teacher.probabilities;
  const column = tags.map((t) => teacher.tags.indexOf(t));
  const out = new Float32Array(labels.length * T);
  const inverse = 1 / temperature;
  const row = new Float64Array(T);
  for (let i = 0; i < labels.length; i++) {
    let sum = 0;
    for (let j = 0; j < T; j++) {
      // A floor keeps a zero probability finite under the power (it stays ~0).
      row[j] = Math.pow(Math.max(probs[i * T + column[j]], 1e-30), inverse);
      sum += row[j];
    }
    for (let j = 0; j < T; j++) out[i * T + j] = (weight * row[j]) / sum;
    out[i * T + labels[i]] += 1 - weight;
  }
  return out;
}
