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
  TAG_FORMATS, isTagFormat, resultToJson, resultsToJsonl, resultToConll, resultToPretty, renderResult, type RenderSpec,
  type TagFormat, type ConllFormatArgs, type PrettyFormatArgs,
} from './tagger/format.js';
// Tagging raw text and CoNLL files with a trained model (issues #3, #4).
export { Tagger, type TaggerLoadArgs } from './tagger/tagger.js';
export type { TagResult, TaggedEntity, TaggedSentence, TaggedToken, TextTagger } from './tagger/types.js';
export { evaluateWithModel } from './tagger/evaluate-with-model.js';
export { predictFile } from './tagger/predict-file.js';
// Training (issue #3).
export { train, type TrainResult } from './train/trainer.js';
export { buildEnsemble, type EnsembleResult } from './train/ensemble.js';
export { trainFiles, readLabeled, type TrainFilesArgs, type TrainFilesResult } from './train/train-files.js';
export { DEFAULT_FEATURES, type TrainArgs, type EpochMetrics, type LabeledSentence } from './train/train-args.js';
export { validateTrainArgs, LIMITS as TRAIN_LIMITS, type TrainOptions } from './train/validate-args.js';
export { BUNDLED_RECIPE } from './train/recipe.js';
export { Optimizer, OPTIMIZERS, type OptimizerName, type OptimizerArgs } from './train/optimizers.js';
export { learningRateAt, type DecayArgs } from './train/schedule.js';
// The model and its storage (issue #3).
export { WindowModel, type ModelConfig, type SentencePrediction } from './model/window-model.js';
export { WindowNetwork, type DenseLayer } from './model/network.js';
export { EmbeddingTables } from './model/embedding-tables.js';
export { ACTIVATIONS, type ActivationName } from './model/activations.js';
export { useBackend, describeBackend, BACKENDS, type BackendInfo, type BackendRequest } from './model/backend.js';
export { saveModel, loadModel, type SaveModelArgs } from './storage/model-io.js';
export { FORMAT_VERSION, type ModelManifest, type TrainingSummary } from './storage/model-format.js';
export { bundledModelDir, resolveModelDir, BUNDLED_MODEL_NAME } from './storage/bundled-model.js';
// Features and decoding (issue #3).
export { FeatureSet, FEATURE_NAMES, wordShape, type FeatureSpec, type FeatureName } from './features/token-features.js';
export { loadPretrained, DEFAULT_VECTORS, type PretrainedVectors } from './features/pretrained.js';
export { normalizeWord } from './features/normalize.js';
export { casingId, CASING_CLASSES } from './features/casing.js';
export { Vocabulary } from './features/vocabulary.js';
export { decodeGreedy, decodeViterbi, DECODERS, type DecoderName } from './decode/decoders.js';
export { allowedTransition } from './decode/transitions.js';
export { TaggerPool, type TaggerPoolArgs } from './tagger/tagger-pool.js';
// The most text one tag()/tagBatch() item takes, the CLI's per-document limit (issue 11).
export { MAX_TEXT_BYTES } from './tagger/limits.js';
export { crossValidate, type CrossValidateArgs, type CrossValidationResult, type FoldResult } from './train/cross-validate.js';
export { DocumentContext, documentContexts } from './features/document-context.js';
export { TrainingSession, type StepPhases, type ResolvedTrainArgs } from './train/training-session.js';
export { analyzeErrors, formatErrorAnalysis, type ErrorAnalysis, type ErrorCounts } from './eval/error-analysis.js';
export { predictConllFile } from './tagger/evaluate-with-model.js';
export { applyStoredPrecision } from './storage/model-io.js';
export { estimateTransitions, TRANSITION_WEIGHTS, type TransitionScores } from './decode/transition-scores.js';
