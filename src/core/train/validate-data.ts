/**
 * Checks that training data can train and select a model before any work is done: documents
 * shaped right, none of the sets empty, and entities to learn. A failure is bad input (exit
 * code 1 in the CLI), named by its file when there is one.
 */
import type { Document, Sentence } from '../document/document.js';
import { NerError } from '../errors.js';

/** What a set of documents is for; the messages say so. */
export type DataRole = 'training' | 'dev' | 'test';

const USE: Record<DataRole, string> = {
  training: 'to train on',
  dev: 'to choose the best epoch on',
  test: 'to score',
};

/**
 * Throws an E_FORMAT NerError when `documents` is not a list of documents whose sentences
 * have tokens and as many gold tags, when it holds no sentence, or (training data) when no
 * gold tag is an entity tag. `file` names where the documents were read from.
 *
 * @example
 * checkDocuments(await readLabeledDocuments('dev.txt'), 'dev', 'dev.txt'); // "dev.txt: has no sentences to choose the best epoch on ..."
 */
export function checkDocuments(documents: unknown, role: DataRole, file?: string): asserts documents is readonly Document[] {
  const field = role === 'training' ? 'train' : role;
  const shape = '{ sentences: [{ tokens: [{ text }], gold: [tag, ...] }] }';
  if (!Array.isArray(documents)) {
    throw new NerError('E_FORMAT', `${field} must be a list of documents (${shape}), got ${typeof documents}`);
  }
  let sentences = 0;
  let entities = false;
  documents.forEach((doc: Partial<Document> | null, d) => {
    if (!Array.isArray(doc?.sentences)) throw new NerError('E_FORMAT', `${role} document ${d + 1} must be { sentences: [...] }`);
    doc.sentences.forEach((s: Partial<Sentence> | null, i) => {
      const at = `${role} document ${d + 1}, sentence ${i + 1}`;
      const { tokens, gold } = s ?? {};
      if (!Array.isArray(tokens) || !tokens.every((t) => typeof t?.text === 'string')) {
        throw new NerError('E_FORMAT', `${at} must have tokens [{ text: string }]`);
      }
      if (!Array.isArray(gold) || !gold.every((t) => typeof t === 'string')) {
        throw new NerError('E_FORMAT', `${at} must have gold tags (a string per token)`);
      }
      if (tokens.length !== gold.length) {
        throw new NerError('E_FORMAT', `${at} has ${tokens.length} tokens but ${gold.length} gold tags`);
      }
      if (!entities) entities = gold.some((t) => t !== 'O');
    });
    sentences += doc.sentences.length;
  });
  const where = file !== undefined ? { file } : {};
  const subject = file !== undefined ? '' : `the ${role} data `;
  if (sentences === 0) {
    throw new NerError('E_FORMAT', `${subject}has no sentences ${USE[role]}`, {
      ...where,
      hint: file !== undefined ? 'the file is empty or holds only -DOCSTART- lines; give a CoNLL file with one token per line' : undefined,
    });
  }
  if (role === 'training' && !entities) {
    throw new NerError('E_FORMAT', `${subject}has no entities to learn: every tag is O`, {
      ...where,
      hint: 'training needs sentences whose tags mark entities, e.g. B-PER I-PER',
    });
  }
}
