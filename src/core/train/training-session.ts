import { resolvePretrained, type PretrainedVectors } from '../features/pretrained.js';
import { roundTripRows4 } from '../storage/quantize.js';
import { normalizeWord } from '../features/normalize.js';
import { FeatureSet } from '../features/token-features.js';
import { trainingGazetteers } from '../features/gazetteer-training.js';
import { DEFAULT_TOPIC_ARGS, DocumentTopics } from '../features/document-topics.js';
import { NerError } from '../errors.js';
import { encodeDocuments, type EncodedTokens } from '../features/windows.js';
import { sentencesOf, tokenCount, words, type Sentence } from '../document/document.js';
import { WindowNetwork, type DenseLayer } from '../model/network.js';
import { tf } from '../model/tf.js';
import { WindowModel, type ModelConfig } from '../model/window-model.js';
import { Random } from '../util/random.js';
import { initTables } from './init-tables.js';
import { FIRST_STAGE_DEFAULTS, firstStagePerDocument } from './first-stage.js';
import { Optimizer } from './optimizers.js';
import { computeShard, SHARDS, shardRows, type ShardInputs, type StepBuffers } from './step/shard.js';
import { sharedFloat32, sharedInt32, toShared } from './step/shared-memory.js';
import { runtime } from '../runtime.js';
import { StepThread } from './step/step-thread.js';
import { TensorStep } from './step/tensor-step.js';
import { updateDense, updateRows } from './step/updates.js';
import { withDefaults, type ResolvedTrainArgs } from './options.js';
import type { TrainArgs } from './train-args.js';
import { validateTrainArgs } from './validate-args.js';
import { checkDocuments } from './validate-data.js';
import { checkTeacherTags, mixTargets, softTargets } from './soft-targets.js';
import { checkTeacherProbabilities } from './teacher-probabilities.js';

export type { ResolvedTrainArgs };

/** Milliseconds spent in each phase of the steps run so far; pass one to `step` to time it. */
export interface StepPhases {
  /** The main thread's shards: window ids, rare words to UNK, embedding lookup, input dropout. */
  batch: number;
  /** The main thread's shards: forward and backward pass of the network. */
  gradients: number;
  /** Waiting for the worker thread's shard (two threads only). */
  waitShard: number;
  /** Scatter of the input gradient into embedding rows and their optimizer update. */
  rowsUpdate: number;
  /** Optimizer update of the dense layers (two threads: waiting for the worker's). */
  denseUpdate: number;
}

/**
 * Everything training needs before its first step (features, tables, network, encoded
 * windows, optimizer, random stream), and one mini-batch step. `train()` runs epochs of
 * these steps; the benchmark times the very same step.
 *
 * A step computes its batch as SHARDS shards (see step/shard.ts). With two threads, a worker
 * computes shard 1 and updates the dense layers while the main thread computes shard 0 and
 * updates the embedding rows; with one, the main thread does it all. Either way the step
 * computes the same numbers, so a seed gives the same model on one thread or two.
 *
 * @example
 * const session = await TrainingSession.create({ train: documents, dev: [] });
 * const order = session.rng.permutation(session.enc.length);
 * const loss = session.step(order, 0, 256);
 * await session.close();
 */
export class TrainingSession {
  private readonly X: Float32Array;
  private steps = 0;

  private constructor(
    /** The options with their defaults filled in. */
    readonly args: ResolvedTrainArgs,
    readonly model: WindowModel,
    readonly enc: EncodedTokens,
    readonly labels: Int32Array,
    /** Per training token, the target distribution `[tokens, tags]` when distilling a teacher, else null (the labels). */
    readonly targets: Float32Array | null,
    readonly optimizer: Optimizer,
    readonly rng: Random,
    private readonly shard: ShardInputs,
    private readonly buffers: StepBuffers,
    /** Per feature, the rows no step updates (frozen pretrained word vectors), or null. */
    private readonly fixedRows: readonly (Uint8Array | null)[],
    /** The worker thread computing shard 1, or null when the main thread computes every shard. */
    private readonly thread: StepThread | null,
    /** Where pretrained vectors came from, or null. */
    readonly vectors: string | null,
    /** The step on the device's tensors (webgpu), or null when steps run on typed arrays. */
    private readonly device: TensorStep | null,
  ) {
    this.X = new Float32Array(shardRows(0, args.batchSize)[1] * model.network.inputs);
  }

  /** Whether the parameters live on the backend's device between steps (see step/tensor-step.ts). */
  get onDevice(): boolean {
    return this.device !== null;
  }

  /** Bytes the last device step uploaded, per window and per step (null off the device). */
  get uploaded(): TensorStep['uploaded'] | null {
    return this.device?.uploaded ?? null;
  }

  /** Milliseconds the host spent preparing device steps (ids, random draws, row lists); 0 off the device. */
  get deviceHostMs(): number {
    return this.device?.hostMs ?? 0;
  }

  /** Threads the steps run on: 1 or 2. */
  get threads(): number {
    return this.thread ? 2 : 1;
  }

  /**
   * Checks the options, loads the vectors, builds vocabularies, tables and the network, and
   * with two threads starts the worker on the active backend (`backend`, default: tfjs's).
   * `placement`: where the parameters live between steps; default `device` on webgpu (one
   * thread, no per-step reads), `host` elsewhere (typed arrays, one or two threads).
   */
  static async create(args: TrainArgs, backend?: string, placement?: 'host' | 'device'): Promise<TrainingSession> {
    // Every option and the training data are checked before the vectors load.
    validateTrainArgs(args);
    checkDocuments(args.train, 'training');
    const a = withDefaults(args, runtime().cores);
    const rng = new Random(a.seed);
    const trainSentences = sentencesOf(a.train);
    const tags = tagSet(trainSentences);
    const teacher = a.teacher;
    if (teacher !== undefined) {
      if (typeof teacher === 'string') throw new NerError('E_CONFIG', 'teacher must be a loaded model here, got a string', { hint: 'load it with loadModel(dir), or pass the folder to trainFiles' });
      // A wrong teacher fails before the vectors load.
      checkTeacherTags(teacher, tags);
    }
    const saved = a.teacherProbabilities;
    if (saved) checkTeacherProbabilities(saved, tags, tokenCount(a.train));
    const pretrained = a.vectors === null ? null : await loadVectorsTelling(a, a.vectors);
    a.onStage?.({ stage: 'features', sentences: trainSentences.length });
    if (pretrained && a.vectorBits === 4) pretrained.vectors = roundTripRows4(pretrained.vectors, pretrained.dim);
    const gazetteers = gazetteersOf(a);
    // doctopic: the training documents clustered by topic (see document-topics.ts), the same for every seed.
    const topics = a.features.some((f) => f.name === 'doctopic') ? DocumentTopics.train(a.train.map((d) => d.sentences.map(words)), DEFAULT_TOPIC_ARGS) : undefined;
    const featureSet = FeatureSet.build(
      a.features,
      trainSentences.map(words),
      { pretrainedKeys: pretrained ? pretrained.words.map(normalizeWord) : undefined, gazetteer: gazetteers?.model, entityTypes: entityTypes(tags), topics },
    );
    const { tables, pretrainedRows } = initTables(featureSet, pretrained, rng);
    const slots = 2 * a.window + 1;
    const network = WindowNetwork.init(slots * tables.tokenDim, a.hidden, tags.length, a.activation, rng);
    const config: ModelConfig = {
      window: a.window,
      features: a.features,
      hidden: a.hidden,
      activation: a.activation,
      tags,
      scheme: 'IOB2',
      decoder: a.decoder,
      ...(a.precision === 'float16' ? { precision: 'float16' as const } : {}),
    };
    const wordFeature = a.features.findIndex((f) => f.name === 'word');
    const tagIndex = new Map(tags.map((t, i) => [t, i]));
    const labels = Int32Array.from(trainSentences.flatMap((s) => s.gold!.map((t) => tagIndex.get(t)!)));
    const optimizer = new Optimizer({ name: a.optimizer, learningRate: a.learningRate });
    const frozen = a.freezeVectors && wordFeature >= 0 ? pretrainedRows : null;
    const startWorker = runtime().startStepWorker;
    const active = backend ?? tf.getBackend();
    const onDevice = (placement ?? (active === 'webgpu' ? 'device' : 'host')) === 'device';
    if (onDevice && !featureSet.layout.oneIdPerFeature) {
      throw new NerError('E_CONFIG', 'the chars feature trains only in the host steps (wasm, cpu): the device step (webgpu) takes one id per feature', {
        hint: 'train with --backend wasm, or drop chars from --features',
      });
    }
    if (onDevice && (teacher || saved)) {
      throw new NerError('E_CONFIG', "training on a teacher's probabilities (distillation) runs only in the host steps (wasm, cpu): the device step (webgpu) takes gold tags only", {
        hint: 'train with --backend wasm',
      });
    }
    const threaded = !onDevice && a.threads === 2 && startWorker !== undefined && (active === 'wasm' || active === 'cpu');
    // The worker reads the parameters and the encoded windows where the main thread has them.
    if (threaded) {
      tables.tables.forEach((t, f) => (tables.tables[f] = toShared(t)));
      for (const layer of network.layers) {
        layer.W = toShared(layer.W);
        layer.b = toShared(layer.b);
      }
    }
    // With training entities in the gazetteer, each document is encoded with its fold's (see gazetteer-training.ts).
    const foldSets = new Map(gazetteers ? [...new Set(gazetteers.forDocument)].map((g) => [g, g === gazetteers.model ? featureSet : featureSet.withGazetteer(g)]) : []);
    const plain = encodeDocuments(featureSet, a.train, {
      firstStage: featureSet.usesFirstStage ? firstStageInputs(a) : undefined,
      featureSetOf: gazetteers ? (d) => foldSets.get(gazetteers.forDocument[d])! : undefined,
    });
    const enc: EncodedTokens = threaded
      ? { ...plain, ids: toShared(plain.ids), sentenceStart: toShared(plain.sentenceStart), sentenceEnd: toShared(plain.sentenceEnd) }
      : plain;
    const wordColumn = wordFeature >= 0 ? featureSet.columnOf(wordFeature) : -1;
    const rare = wordFeature >= 0 && a.unknownWordRate > 0 ? rareWordIds(enc, wordColumn, pretrainedRows) : null;
    const shardInputs: ShardInputs = {
      enc,
      tables,
      network,
      window: a.window,
      dropout: a.dropout,
      inputDropout: a.inputDropout,
      sharedDropoutMask: a.sharedDropoutMask,
      unknownWordRate: a.unknownWordRate,
      rareWords: rare && threaded ? toShared(rare) : rare,
      wordColumn,
      wordFeature,
      frozenWords: frozen && threaded ? toShared(frozen) : frozen,
      seed: a.seed,
    };
    const distill = { weight: a.distillWeight, temperature: a.distillTemperature };
    const targets = teacher ? await softTargets(teacher, a.train, tags, labels, distill) : saved ? mixTargets(saved, tags, labels, distill) : null;
    const buffers = stepBuffers(a.batchSize, slots, featureSet.columns, network, threaded, targets !== null);
    const model = new WindowModel(config, featureSet, tables, network);
    const fixedRows = a.features.map((_, f) => (f === wordFeature ? frozen : null));
    let thread: StepThread | null = null;
    if (threaded) {
      const { tables: _t, network: _n, ...shared } = shardInputs;
      thread = await StepThread.start({
        backend: active === 'cpu' ? 'cpu' : 'wasm',
        shard: shared,
        specs: a.features,
        tables: tables.tables,
        layers: network.layers,
        activation: a.activation,
        optimizer: { name: a.optimizer, learningRate: optimizer.learningRate },
        l2: a.l2,
        buffers,
        maxRows: shardRows(0, a.batchSize)[1],
      }, startWorker!);
    }
    const { tables: _t, network: _n, ...stepInputs } = shardInputs;
    const device = onDevice ? new TensorStep(model, stepInputs, optimizer, a.l2, fixedRows, a.batchSize) : null;
    return new TrainingSession(a, model, enc, labels, targets, optimizer, rng, shardInputs, buffers, fixedRows, thread, pretrained?.source ?? null, device);
  }

  /**
   * One mini-batch of gradient descent on the windows of tokens `order[from .. from+count)`
   * (count at most the batch size). Returns the batch's mean cross-entropy, or on the device
   * undefined: there the losses add up on the device until `takeDeviceLoss`. With `phases`,
   * adds the milliseconds of each phase to it (host steps).
   */
  step(order: ArrayLike<number>, from: number, count: number, phases?: StepPhases): number | undefined {
    const buffers = this.buffers;
    for (let b = 0; b < count; b++) {
      const t = order[from + b];
      buffers.tokens[b] = t;
      buffers.labels[b] = this.labels[t];
    }
    const targets = this.targets;
    if (targets) {
      const T = this.model.config.tags.length;
      for (let b = 0; b < count; b++) buffers.targets!.set(targets.subarray(order[from + b] * T, (order[from + b] + 1) * T), b * T);
    }
    const step = this.steps++;
    if (this.device) {
      this.optimizer.nextStep();
      this.device.step(buffers.tokens, buffers.labels, count, step);
      return undefined;
    }
    const clock = phases ? () => performance.now() : () => 0;
    const thread = this.thread;
    thread?.begin(step, count, this.optimizer.learningRate);
    try {
      for (let k = 0; k < (thread ? 1 : SHARDS); k++) computeShard(this.shard, buffers, this.X, step, k, count, phases);
    } finally {
      thread?.mainShardDone();
    }
    const t2 = clock();
    thread?.waitShard();
    const t3 = clock();
    this.optimizer.nextStep();
    if (!thread) updateDense(this.optimizer, this.model.network.layers, buffers, this.args.l2);
    const t4 = clock();
    updateRows(this.optimizer, this.model.tables, buffers, count * this.model.slots, this.fixedRows);
    const t5 = clock();
    thread?.waitDense();
    if (phases) {
      const t6 = clock();
      phases.waitShard += t3 - t2;
      phases.denseUpdate += t4 - t3 + (t6 - t5);
      phases.rowsUpdate += t5 - t4;
    }
    let loss = 0;
    for (let k = 0; k < SHARDS; k++) loss += buffers.loss[k];
    return loss;
  }

  /** The sum of the device steps' losses since the last call (one read from the device); 0 on the host. */
  async takeDeviceLoss(): Promise<number> {
    return this.device ? this.device.takeLoss() : 0;
  }

  /** Brings the device's parameters into the model's typed arrays (a no-op on the host, where they already are). */
  async syncParameters(): Promise<void> {
    await this.device?.readParameters();
  }

  /** Stops the worker thread and frees device memory, if any. Safe to call twice. */
  async close(): Promise<void> {
    await this.thread?.close();
    this.device?.dispose();
  }
}

/** The step's buffers: on shared memory when a worker thread reads and writes them. */
function stepBuffers(batchSize: number, slots: number, features: number, network: WindowNetwork, shared: boolean, soft: boolean): StepBuffers {
  const f32 = (n: number) => (shared ? sharedFloat32(n) : new Float32Array(n));
  const i32 = (n: number) => (shared ? sharedInt32(n) : new Int32Array(n));
  const perShard = (size: (l: DenseLayer) => number) => Array.from({ length: SHARDS }, () => network.layers.map((l) => f32(size(l))));
  return {
    tokens: i32(batchSize),
    labels: i32(batchSize),
    targets: soft ? f32(batchSize * network.layers[network.layers.length - 1].outputs) : null,
    ids: i32(batchSize * slots * features),
    dX: f32(batchSize * network.inputs),
    dW: perShard((l) => l.inputs * l.outputs),
    db: perShard((l) => l.outputs),
    loss: new Float64Array(shared ? new SharedArrayBuffer(8 * SHARDS) : new ArrayBuffer(8 * SHARDS)),
  };
}

/** The entity types of a tag set (`B-PER`, `I-PER`, ... -> `PER`), in order. */
function entityTypes(tags: readonly string[]): string[] {
  return [...new Set(tags.filter((t) => t !== 'O').map((t) => t.slice(2)))];
}

/**
 * The first stage's tags per training document for the `docpred` keys, a `noneRate` share of
 * the documents left without (drawn from their own stream, so the seed's other draws stay as they are).
 */
function firstStageInputs(a: ResolvedTrainArgs): ((readonly string[])[] | undefined)[] {
  const tags = a.firstStage?.tags;
  if (!tags) throw new NerError('E_CONFIG', 'a model with the docpred feature needs the first stage\'s tags of the training sentences', { hint: 'train it with train(), which computes them (firstStage.folds), or give firstStage.tags' });
  const draws = new Random(a.seed ^ 0x2f57a6e1);
  return firstStagePerDocument(a.train, tags, a.firstStage?.noneRate ?? FIRST_STAGE_DEFAULTS.noneRate, () => draws.next());
}

/** The gold tags of the training data, `O` first, then sorted. */
function tagSet(sentences: readonly Sentence[]): string[] {
  const set = new Set<string>();
  for (const s of sentences) for (const t of s.gold!) set.add(t);
  set.delete('O');
  return ['O', ...[...set].sort()];
}

/** Word ids seen once in training that have no pretrained vector: stand-ins for unknown words. */
function rareWordIds(enc: EncodedTokens, wordColumn: number, pretrainedRows: Uint8Array): Uint8Array {
  const counts = new Map<number, number>();
  for (let t = 0; t < enc.length; t++) {
    const id = enc.ids[t * enc.features + wordColumn];
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const rare = new Uint8Array(Math.max(0, ...counts.keys()) + 1);
  for (const [id, c] of counts) if (c === 1 && !pretrainedRows[id]) rare[id] = 1;
  return rare;
}

/** Loads the vectors training asked for, telling onStage how many words have loaded. */
async function loadVectorsTelling(a: ResolvedTrainArgs, source: string): Promise<PretrainedVectors> {
  a.onStage?.({ stage: 'vectors', source, words: 0, done: false });
  const pretrained = await resolvePretrained(source, a.vectorsLimit, (words) => a.onStage?.({ stage: 'vectors', source, words, done: false }));
  a.onStage?.({ stage: 'vectors', source, words: pretrained.words.length, done: true });
  return pretrained;
}

/** The gazetteers of training (the model's and each training document's), or null without the gazetteer feature. */
function gazetteersOf(a: ResolvedTrainArgs): ReturnType<typeof trainingGazetteers> | null {
  const wanted = a.features.some((f) => f.name === 'gazetteer');
  const g = a.gazetteer;
  if (!wanted) {
    if (g) throw new NerError('E_CONFIG', 'a gazetteer was given but the features have no gazetteer feature', { hint: 'add gazetteer:8 to the features, or give no gazetteer' });
    return null;
  }
  if (!g || (!g.lists && !g.fromTraining)) {
    throw new NerError('E_CONFIG', 'the gazetteer feature needs a gazetteer', { hint: 'give lists of names (ner train --gazetteer FILE) or the training entities (--gazetteer-from-training)' });
  }
  const folds = g.folds ?? 5;
  if (!Number.isInteger(folds) || folds < 1) throw new NerError('E_CONFIG', `gazetteer folds must be a positive integer, got ${folds}`);
  const { minCount, minPurity } = g.fromTraining ?? { minCount: 1, minPurity: 1 };
  if (!Number.isInteger(minCount) || minCount < 1) throw new NerError('E_CONFIG', `gazetteer minCount must be a positive integer, got ${minCount}`);
  if (!(minPurity >= 0.5 && minPurity <= 1)) throw new NerError('E_CONFIG', `gazetteer minPurity must be between 0.5 and 1, got ${minPurity}`);
  return trainingGazetteers(a.train, { lists: g.lists ?? {}, fromTraining: g.fromTraining ?? null, folds });
}
