/**
 * Checks that training data can train and select a model before any work is done: sentences
 * shaped right, none of the sets empty, and entities to learn. A failure is bad input (exit
 * code 1 in the CLI), named by its file when there is one.
 */
import { NerError } from '../errors.js';
import type { LabeledSentence } from './train-args.js';

/** What a set of sentences is for; the messages say so. */
export type DataRole = 'training' | 'dev' | 'test';

const USE: Record<DataRole, string> = {
  training: 'to train on',
  dev: 'to choose the best epoch on',
  test: 'to score',
};

/**
 * Throws an E_FORMAT NerError when `sentences` is not a list of sentences with as many tags
 * as words, when it is empty, or (training data) when no tag is an entity tag. `file` names
 * where the sentences were read from.
 *
 * @example
 * checkSentences(await readLabeled('dev.txt'), 'dev', 'dev.txt'); // "dev.txt: has no sentences to choose the best epoch on ..."
 */
export function checkSentences(sentences: unknown, role: DataRole, file?: string): asserts sentences is readonly LabeledSentence[] {
  const field = role === 'training' ? 'train' : role;
  if (!Array.isArray(sentences)) {
    throw new NerError('E_FORMAT', `${field} must be a list of sentences ({ words, tags }), got ${typeof sentences}`);
  }
  sentences.forEach((s: Partial<LabeledSentence> | null, i) => {
    const words = s?.words;
    const tags = s?.tags;
    if (!Array.isArray(words) || !Array.isArray(tags) || !words.every((w) => typeof w === 'string') || !tags.every((t) => typeof t === 'string')) {
      throw new NerError('E_FORMAT', `${role} sentence ${i + 1} must be { words: string[], tags: string[] }`);
    }
    if (words.length !== tags.length) {
      throw new NerError('E_FORMAT', `${role} sentence ${i + 1} has ${words.length} words but ${tags.length} tags`);
    }
  });
  const where = file !== undefined ? { file } : {};
  const subject = file !== undefined ? '' : `the ${role} data `;
  if (sentences.length === 0) {
    throw new NerError('E_FORMAT', `${subject}has no sentences ${USE[role]}`, {
      ...where,
      hint: file !== undefined ? 'the file is empty or holds only -DOCSTART- lines; give a CoNLL file with one token per line' : undefined,
    });
  }
  if (role === 'training' && !sentences.some((s: LabeledSentence) => s.tags.some((t) => t !== 'O'))) {
    throw new NerError('E_FORMAT', `${subject}has no entities to learn: every tag is O`, {
      ...where,
      hint: 'training needs sentences whose tags mark entities, e.g. B-PER I-PER',
    });
  }
}
