export { NerError, ERROR_KINDS, type ErrorCode } from './errors.js';
// Raw text to sentences and tokens with character offsets (issue #4).
export { tokenize } from './text/tokenize.js';
export type { TextSentence, TextToken } from './text/types.js';
