/**
 * How much text one call of the tagging API takes. The CLI holds every document to the same
 * limit (`ner tag`'s MAX_DOCUMENT_BYTES is this constant), so the library and the CLI accept
 * the same inputs.
 */
import { utf8ByteLength } from '../text/utf8.js';

/**
 * Largest text `tag(text)` and each item of `tagBatch(texts)` accept, in UTF-8 bytes: 2 MiB.
 * Tokens, tags and results of one text take about 150 times its size in memory (measured:
 * 450 MiB for a 3 MB line), so this keeps one call well under 1 GB with the model. Longer
 * text is split by the caller (by paragraph or line) and given to tagBatch in pieces, or
 * streamed line by line with `ner tag --input FILE --format jsonl`.
 */
export const MAX_TEXT_BYTES = 2 << 20;
/** {@link MAX_TEXT_BYTES} as messages say it. */
export const MAX_TEXT_SIZE = `${MAX_TEXT_BYTES / (1 << 20)} MiB`;

/** Is `text` larger than {@link MAX_TEXT_BYTES}? Cheap for most texts: a UTF-16 unit is 1 to 3 UTF-8 bytes. */
export function exceedsTextLimit(text: string): boolean {
  if (text.length > MAX_TEXT_BYTES) return true;
  if (text.length * 3 <= MAX_TEXT_BYTES) return false;
  return utf8ByteLength(text) > MAX_TEXT_BYTES;
}
