export { NerError, ERROR_KINDS, type ErrorCode } from './core/errors.js';

// Corpus reading, tag schemes and spans (issue #2).
export type { Sentence, Document, Span, TagScheme, Corpus } from './core/corpus/types.js';
export { parseTag, tryParseTag, isTag, validateTags, type ParsedTag, type TagPrefix } from './core/corpus/tag.js';
export { startOfChunk, endOfChunk } from './core/corpus/chunk-rules.js';
export {
  TAG_SCHEMES, SchemeDetector, detectScheme, convertTags, iob1ToIob2, iob2ToIob1, iob2ToBioes, bioesToIob2,
} from './core/corpus/tag-scheme.js';
export { tagsToSpans, spansToTags } from './core/corpus/spans.js';
export { readConll, parseConll, streamConll, allSentences, type ConllParseArgs } from './core/corpus/conll-reader.js';
export { ConllLineParser, splitColumns, DOCSTART, type ConllItem, type ConllReadArgs } from './core/corpus/conll-lines.js';
export { LineSplitter, readLineBatches, decodeLines, type LineBatch } from './core/corpus/line-reader.js';
export {
  formatConll, writeConll, formatSentence, formatSentenceWithPrediction, formatDocstart, type ConllWriteArgs,
} from './core/corpus/conll-writer.js';
// CoNLL-exact evaluation (issue #2).
export { evaluate, ConllEvaluator, type EvalResult, type TypeScore } from './core/eval/conlleval.js';
export { PRFScore } from './core/eval/prf.js';
export { formatConllevalReport, printfFixed } from './core/eval/report.js';
export { confusionTable, formatConfusionTable, type ConfusionTable } from './core/eval/confusion.js';
export { evaluateScoredFile } from './node/files/scored-file.js';
// Raw text to sentences and tokens with character offsets (issue #4).
export { tokenize } from './core/text/tokenize.js';
export type { TextSentence, TextToken } from './core/text/types.js';
// Output formats of `ner tag` (issue #4).
export {
  TAG_FORMATS, isTagFormat, resultToJson, resultsToJsonl, resultToConll, resultToPretty, renderResult, type RenderSpec,
  type TagFormat, type ConllFormatArgs, type PrettyFormatArgs,
} from './core/tagger/format.js';
// Tagging raw text and CoNLL files with a trained model (issues #3, #4).
export { Tagger, type TaggerLoadArgs } from './core/tagger/tagger.js';
export type { TagResult, TaggedEntity, TaggedSentence, TaggedToken, TextTagger } from './core/tagger/types.js';
export { evaluateWithModel } from './node/files/evaluate-with-model.js';
export { predictFile } from './node/files/predict-file.js';
// Training (issue #3).
export { train, type TrainResult } from './core/train/trainer.js';
export { buildEnsemble, type EnsembleResult } from './core/train/ensemble.js';
export { trainFiles, readLabeled, type TrainFilesArgs, type TrainFilesResult } from './node/train-files.js';
export type { TrainArgs, EpochMetrics, LabeledSentence } from './core/train/train-args.js';
export { DEFAULT_FEATURES, LIMITS as TRAIN_LIMITS, TRAIN_OPTIONS, withDefaults, type TrainOption, type TrainOptionKey } from './core/train/options.js';
export { validateTrainArgs, type TrainOptions } from './core/train/validate-args.js';
export { BUNDLED_RECIPE } from './node/recipe.js';
export { Optimizer, OPTIMIZERS, type OptimizerName, type OptimizerArgs } from './core/train/optimizers.js';
export { learningRateAt, type DecayArgs } from './core/train/schedule.js';
// The model and its storage (issue #3).
export { WindowModel, type ModelConfig, type SentencePrediction } from './core/model/window-model.js';
export { WindowNetwork, type DenseLayer } from './core/model/network.js';
export { EmbeddingTables } from './core/model/embedding-tables.js';
export { ACTIVATIONS, type ActivationName } from './core/model/activations.js';
export { useBackend, describeBackend, BACKENDS, type BackendInfo, type BackendRequest } from './node/backend.js';
export { saveModel, loadModel, type SaveModelArgs } from './node/storage/model-io.js';
export { FORMAT_VERSION, type ModelManifest, type TrainingSummary } from './core/storage/model-format.js';
export { bundledModelDir, resolveModelDir, BUNDLED_MODEL_NAME } from './node/storage/bundled-model.js';
// Features and decoding (issue #3).
export { FeatureSet, FEATURE_NAMES, wordShape, type FeatureSpec, type FeatureName } from './core/features/token-features.js';
export { loadPretrained, DEFAULT_VECTORS, type PretrainedVectors } from './core/features/pretrained.js';
export { normalizeWord } from './core/features/normalize.js';
export { casingId, CASING_CLASSES } from './core/features/casing.js';
export { Vocabulary } from './core/features/vocabulary.js';
export { decodeGreedy, decodeViterbi, DECODERS, type DecoderName } from './core/decode/decoders.js';
export { allowedTransition } from './core/decode/transitions.js';
export { TaggerPool, type TaggerPoolArgs } from './node/workers/tagger-pool.js';
// The most text one tag()/tagBatch() item takes, the CLI's per-document limit (issue 11).
export { MAX_TEXT_BYTES } from './core/tagger/limits.js';
export { crossValidate, type CrossValidateArgs, type CrossValidationResult, type FoldResult } from './core/train/cross-validate.js';
export { DocumentContext, documentContexts } from './core/features/document-context.js';
export { TrainingSession, type StepPhases, type ResolvedTrainArgs } from './core/train/training-session.js';
export { analyzeErrors, formatErrorAnalysis, type ErrorAnalysis, type ErrorCounts } from './core/eval/error-analysis.js';
export { predictConllFile } from './node/files/evaluate-with-model.js';
export { applyStoredPrecision } from './node/storage/model-io.js';
export { estimateTransitions, TRANSITION_WEIGHTS, type TransitionScores } from './core/decode/transition-scores.js';
