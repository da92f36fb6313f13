/**
 * `tagTokens` for every tagger: pre-tokenized sentences made into Documents, tagged by the
 * tagger's own `tagDocuments`, and read back as tags and token-index entities. Tagger and
 * TaggerPool share it, so both give the same answer for the same input.
 */
import { predictedSpans, type Document, type Sentence } from '../document/document.js';
import { checkDocumentNumbers, checkOptions, checkSentences, type OptionRule } from './api-checks.js';
import { checkMinScore, dropEntitiesBelow } from './min-score.js';
import type { TagTokensOptions, TokenTags } from './types.js';

const TAG_TOKENS_OPTIONS: Record<keyof TagTokensOptions, OptionRule> = { documents: { checkedApart: true }, minScore: { checkedApart: true } };

/**
 * Tags sentences given as words with `tagDocuments`, after checking the arguments (`method`
 * names the caller in messages). Sentences with the same `options.documents` number are one
 * document, wherever they are in the list; without it all are one. `options.minScore` drops
 * entities scored below it (min-score.ts).
 *
 * @example
 * await tagTokensWith('Tagger.tagTokens', (docs) => tagger.tagDocuments(docs), [['Kofi', 'Annan']]);
 * // [{ tags: ['B-PER', 'I-PER'], entities: [{ start: 0, end: 2, type: 'PER', score: 0.99 }] }]
 */
export async function tagTokensWith(
  method: string,
  tagDocuments: (documents: readonly Document[]) => Promise<void>,
  sentences: readonly (readonly string[])[],
  options: TagTokensOptions = {},
): Promise<TokenTags[]> {
  checkSentences(method, sentences);
  checkOptions(method, options, TAG_TOKENS_OPTIONS);
  checkDocumentNumbers(method, options.documents, sentences.length);
  checkMinScore(method, options.minScore);
  const made: Sentence[] = sentences.map((words) => ({ tokens: words.map((text) => ({ text })) }));
  const documents = group(made, options.documents);
  await tagDocuments(documents);
  if (options.minScore !== undefined) dropEntitiesBelow(documents, options.minScore);
  return made.map((sentence) => ({
    tags: sentence.predicted!,
    entities: predictedSpans(sentence) as TokenTags['entities'],
  }));
}

/** The sentences as documents, one per distinct number, in order of first appearance. */
function group(sentences: Sentence[], numbers: readonly number[] | undefined): Document[] {
  if (!numbers) return [{ sentences }];
  const byNumber = new Map<number, Document>();
  sentences.forEach((sentence, i) => {
    let doc = byNumber.get(numbers[i]);
    if (!doc) byNumber.set(numbers[i], (doc = { sentences: [] }));
    doc.sentences.push(sentence);
  });
  return [...byNumber.values()];
}
