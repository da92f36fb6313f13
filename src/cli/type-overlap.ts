/** `ner eval`'s warning when a model cannot find any of a file's entity types (a wrong model or file, most often). */
import { sentencesOf, type Document } from '../core/document/document.js';

/** The entity types of the documents' gold tags, sorted. */
export function goldTypes(documents: readonly Document[]): string[] {
  const types = new Set<string>();
  for (const sentence of sentencesOf(documents)) for (const tag of sentence.gold ?? []) if (tag !== 'O') types.add(tag.replace(/^[BIES]-/, ''));
  return [...types].sort();
}

/** A warning when the model's and the file's types share none (both known and not empty); else undefined. */
export function typeOverlapWarning(modelTypes: readonly string[] | undefined, fileTypes: readonly string[], file: string): string | undefined {
  if (!modelTypes || modelTypes.length === 0 || fileTypes.length === 0) return undefined;
  if (fileTypes.some((t) => modelTypes.includes(t))) return undefined;
  return `warning: the model's types (${modelTypes.join(', ')}) and those of ${file} (${fileTypes.join(', ')}) do not overlap: every entity will count as an error`;
}
