/**
 * How much text one call of the tagging API takes. The CLI holds every document to the same
 * limit (`ner tag`'s MAX_DOCUMENT_BYTES is this constant), so the library and the CLI accept
 * the same inputs.
 */

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

/**
 * The UTF-8 size of `text` (what the CLI counts when it reads a file), without encoding it:
 * a lone surrogate counts 3 bytes, as the replacement character it is encoded as.
 */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Is `text` larger than {@link MAX_TEXT_BYTES}? Cheap for most texts: a UTF-16 unit is 1 to 3 UTF-8 bytes. */
export function exceedsTextLimit(text: string): boolean {
  if (text.length > MAX_TEXT_BYTES) return true;
  if (text.length * 3 <= MAX_TEXT_BYTES) return false;
  return utf8ByteLength(text) > MAX_TEXT_BYTES;
}
