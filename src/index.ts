export { NerError, ERROR_KINDS, type ErrorCode } from './errors.js';

// Corpus reading, tag schemes and spans (issue #2).
export type { Sentence, Document, Span, TagScheme, Corpus } from './corpus/types.js';
export { parseTag, tryParseTag, isTag, validateTags, type ParsedTag, type TagPrefix } from './corpus/tag.js';
export { startOfChunk, endOfChunk } from './corpus/chunk-rules.js';
export {
  TAG_SCHEMES, SchemeDetector, detectScheme, convertTags, iob1ToIob2, iob2ToIob1, iob2ToBioes, bioesToIob2,
} from './corpus/tag-scheme.js';
export { tagsToSpans, spansToTags } from './corpus/spans.js';
export { readConll, parseConll, streamConll, allSentences, type ConllParseArgs } from './corpus/conll-reader.js';
export { ConllLineParser, splitColumns, DOCSTART, type ConllItem, type ConllReadArgs } from './corpus/conll-lines.js';
export { LineSplitter, readLineBatches, decodeLines, type LineBatch } from './corpus/line-reader.js';
export {
  formatConll, writeConll, formatSentence, formatSentenceWithPrediction, formatDocstart, type ConllWriteArgs,
} from './corpus/conll-writer.js';
// CoNLL-exact evaluation (issue #2).
export { evaluate, ConllEvaluator, type EvalResult, type TypeScore } from './eval/conlleval.js';
export { PRFScore } from './eval/prf.js';
export { formatConllevalReport, printfFixed } from './eval/report.js';
export { confusionTable, formatConfusionTable, type ConfusionTable } from './eval/confusion.js';
export { evaluateScoredFile } from './eval/scored-file.js';
// Raw text to sentences and tokens with character offsets (issue #4).
export { tokenize } from './text/tokenize.js';
export type { TextSentence, TextToken } from './text/types.js';
// Output formats of `ner tag` (issue #4).
export {
  TAG_FORMATS, isTagFormat, resultToJson, resultsToJsonl, resultToConll, resultToPretty,
  type TagFormat, type ConllFormatArgs, type PrettyFormatArgs,
} from './tagger/format.js';
