/**
 * The portable core of ner-window: everything from tokenizing and reading CoNLL text to
 * features, the model, training on in-memory data, decoding, scoring, model bytes and the
 * Tagger, with no Node built-in (a test bundles it for a browser). What it needs from the
 * platform it gets from the installed runtime (runtime.ts): `import 'ner-window'` installs
 * Node's; a browser build installs its own.
 */
export { installRuntime, runtime, BACKENDS, type Runtime, type BackendInfo, type BackendRequest } from './runtime.js';
export { packModel, type PackModelArgs, type ModelFiles, applyStoredPrecision } from './storage/model-pack.js';
export { readModel, readManifest, type LoadedModel } from './storage/model-read.js';
export { bytesSource, urlSource, isModelBytes, type ModelBytes, type ModelFileSource } from './storage/model-source.js';
export { resolvePretrained } from './features/pretrained.js';
export type { ModelSource } from './tagger/tagger.js';
export { NerError, ERROR_KINDS, type ErrorCode } from './errors.js';
export type { Document, Sentence, Token, Span } from './document/document.js';
export { words, tokenCount, sentencesOf, documentFromWords, copyDocuments, goldSpans, predictedSpans } from './document/document.js';
export type { Corpus } from './corpus/types.js';
export type { TagScheme } from './tags/tag-scheme.js';
export { parseTag, tryParseTag, isTag, validateTags, type ParsedTag, type TagPrefix } from './tags/tag.js';
export { startOfChunk, endOfChunk } from './tags/chunk-rules.js';
export {
  TAG_SCHEMES, SchemeDetector, detectScheme, convertTags, iob1ToIob2, iob2ToIob1, iob2ToBioes, bioesToIob2,
} from './tags/tag-scheme.js';
export { tagsToSpans, spansToTags } from './tags/spans.js';
export { parseConll, allSentences, type ConllParseArgs } from './corpus/conll-reader.js';
export { parseLabeledConll } from './corpus/labeled-text.js';
export { ConllLineParser, splitColumns, DOCSTART, type ConllItem, type ConllReadArgs } from './corpus/conll-lines.js';
export { LineSplitter, decodeLines, type LineBatch } from './corpus/line-reader.js';
export { formatConll, formatSentence, formatSentenceWithPrediction, formatDocstart, type ConllWriteArgs } from './corpus/conll-writer.js';
export { evaluate, ConllEvaluator, type EvalResult, type TypeScore } from './eval/conlleval.js';
export { scoreDocuments, evaluateModel, tagSequences, type DocumentPredictor, type ScoreArgs } from './eval/score.js';
export { PRFScore } from './eval/prf.js';
export { formatConllevalReport, printfFixed } from './eval/report.js';
export { confusionTable, formatConfusionTable, type ConfusionTable } from './eval/confusion.js';
export { tokenize } from './text/tokenize.js';
export { readInputLines, readInputText, textToLines, type InputLine, type ReadInputArgs, type ReadTextArgs } from './text/input-lines.js';
export {
  TAG_FORMATS, isTagFormat, toTagResult, renderJson, renderJsonl, renderConll, renderPretty, renderDocument, type RenderSpec,
  type TagResult, type TagFormat, type ConllFormatArgs, type PrettyFormatArgs,
} from './tagger/format.js';
export { Tagger, type TaggerLoadArgs } from './tagger/tagger.js';
export type { DocumentTagger, TagTokensOptions, TokenTags } from './tagger/types.js';
export { tagLines, tagAndRender, type TagLinesArgs } from './tagger/tag-stream.js';
export { predictConll, type PredictConllArgs } from './tagger/predict-stream.js';
export { mapInOrder } from './util/in-order.js';
export { train, type TrainResult } from './train/trainer.js';
export { buildEnsemble, type EnsembleResult } from './train/ensemble.js';
export type { TrainArgs, EpochMetrics, TrainStage } from './train/train-args.js';
export { encodeTeacherProbabilities, decodeTeacherProbabilities, type TeacherProbabilities } from './train/teacher-probabilities.js';
export { DEFAULT_FEATURES, LIMITS as TRAIN_LIMITS, TRAIN_OPTIONS, withDefaults, type TrainOption, type TrainOptionKey } from './train/options.js';
export { validateTrainArgs, type TrainOptions } from './train/validate-args.js';
export { Optimizer, OPTIMIZERS, type OptimizerName, type OptimizerArgs } from './train/optimizers.js';
export { learningRateAt, type DecayArgs } from './train/schedule.js';
export { WindowModel, type ModelConfig } from './model/window-model.js';
export { WindowNetwork, type DenseLayer } from './model/network.js';
export { EmbeddingTables } from './model/embedding-tables.js';
export { ACTIVATIONS, type ActivationName } from './model/activations.js';
export { FORMAT_VERSION, type ModelManifest, type TrainingSummary } from './storage/model-format.js';
export { FeatureSet, FEATURE_NAMES, wordShape, type FeatureSpec, type FeatureName } from './features/token-features.js';
export { DEFAULT_VECTORS, type PretrainedVectors } from './features/pretrained.js';
export { normalizeWord } from './features/normalize.js';
export { casingId, CASING_CLASSES } from './features/casing.js';
export { Vocabulary } from './features/vocabulary.js';
export { decodeGreedy, decodeViterbi, DECODERS, type DecoderName } from './decode/decoders.js';
export { allowedTransition } from './decode/transitions.js';
export { MAX_TEXT_BYTES } from './tagger/limits.js';
export { crossValidate, type CrossValidateArgs, type CrossValidationResult, type FoldResult } from './train/cross-validate.js';
export { DocumentContext } from './features/document-context.js';
export { TrainingSession, type StepPhases, type ResolvedTrainArgs } from './train/training-session.js';
export { analyzeErrors, formatErrorAnalysis, type ErrorAnalysis, type ErrorCounts } from './eval/error-analysis.js';
export { renderLineChart, PALETTE, type ChartSeries, type LineChartArgs } from './report/line-chart.js';
export { renderTrainingReport, type TrainingReportArgs, type EpochFigures } from './report/training-report.js';
export { renderEvalReport, type EvalReportArgs } from './report/eval-report.js';
export { scoreSet } from './report/scored-set.js';
export { REPORT_MARKER, isReport } from './report/page.js';
export type { ScoredSet } from './report/sections.js';
export { estimateTransitions, TRANSITION_WEIGHTS, type TransitionScores } from './decode/transition-scores.js';
export { renderHtml, typeHue, type HtmlFormatArgs } from './tagger/html.js';
export { escapeMarkup } from './util/escape-markup.js';
