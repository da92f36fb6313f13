import { copyDocuments, sentencesOf, type Document } from '../document/document.js';
import { NerError } from '../errors.js';
import { scoreDocuments } from '../eval/score.js';
import { learningRateAt } from './schedule.js';
import type { EpochMetrics, TrainArgs } from './train-args.js';
import { TrainingSession, type ResolvedTrainArgs } from './training-session.js';
import { estimateTransitions, TRANSITION_WEIGHTS } from '../decode/transition-scores.js';
import { ENTITY_BIASES } from '../decode/decoders.js';
import { CONSISTENCY_WEIGHTS } from '../decode/document-consistency.js';
import { chooseDecoding, scoreAsTagged, type DecodingChoice, type DevScores } from './choose-decoding.js';
import { fitModelTemperatureOn, type ModelTemperatureFit } from './calibrate.js';
import { validateTrainArgs } from './validate-args.js';
import { firstStageTags } from './first-stage.js';
import { checkDocuments } from './validate-data.js';
import { defaultFeatures } from './default-features.js';
import { memberCount, memberSeed } from './members.js';
import { fixedDefault, withDefaults } from './options.js';
import { applyStoredPrecision } from '../storage/model-pack.js';
import { WindowModel } from '../model/window-model.js';
import { runtime } from '../runtime.js';

/** What training returns: the model of the best dev epoch and the history. */
export interface TrainResult {
  model: WindowModel;
  history: EpochMetrics[];
  bestEpoch: number;
  /** Why training ended. */
  stopped: 'epochs' | 'early-stopping' | 'interrupted';
  /** Where the pretrained vectors came from, or null. */
  vectors: string | null;
  /** Scores of the returned model on dev (its transition scores and entity bias included). */
  dev: DevScores;
  /** The best dev scores among the same choices without an entity bias (what training returned before it). */
  devWithoutBias: DevScores;
  /** The returned model's dev scores without document consistency (its weight and bias as chosen). */
  devWithoutConsistency: DevScores;
  /** The temperature fitted on dev for the returned model (absent when no epoch finished). */
  calibration?: ModelTemperatureFit;
  /**
   * An ensemble training's networks (TrainArgs.members > 1), each with its seed and its own
   * result; `history`, `bestEpoch` and `stopped` above are then the first member's.
   */
  members?: MemberResult[];
}

/** One network of an ensemble training. */
export interface MemberResult {
  seed: number;
  bestEpoch: number;
  epochs: number;
  stopped: TrainResult['stopped'];
  /** Its own dev scores, with its own decoding choices. */
  dev: DevScores;
}

/**
 * Trains a window classifier by mini-batch gradient descent on shuffled windows, keeping the
 * epoch with the best dev entity F1 (early stopping with patience).
 *
 * @example
 * const { model, history } = await train({ train: await readLabeledDocuments('train.txt'), dev: await readLabeledDocuments('valid.txt'), epochs: 10 });
 */
export async function train(args: TrainArgs, placement?: 'host' | 'device'): Promise<TrainResult> {
  // Options first, then the data, before any vectors load: a bad value fails in milliseconds.
  validateTrainArgs(args);
  checkDocuments(args.train, 'training');
  checkDocuments(args.dev, 'dev');
  // Features not given: the defaults for this data (without doccase where it has no documents).
  const features = args.features ?? defaultFeatures(args.train);
  args = { ...args, features };
  const members = memberCount(args.members ?? fixedDefault('members'), args.train, features);
  if (members > 1) return trainMembers(args, members, placement);
  // A two-stage model's training inputs: the first stage's tags of the training sentences (first-stage.ts).
  const usesFirstStage = args.features?.some((f) => f.name === 'docpred') ?? false;
  const given = usesFirstStage ? { ...args, firstStage: { ...args.firstStage, tags: await firstStageTags(args, (a) => train(a, placement)) } } : args;
  // placement: where parameters live between steps (TrainingSession.create); tests put them on the cpu backend's "device".
  const session = await TrainingSession.create(given, undefined, placement);
  try {
    return await runEpochs(session);
  } finally {
    await session.close();
  }
}

async function runEpochs(session: TrainingSession): Promise<TrainResult> {
  const { args: a, model, enc, optimizer, rng } = session;
  // Predictions go into copies: the caller's dev documents are not written to.
  const dev = copyDocuments(a.dev);
  const baseRate = optimizer.learningRate;
  const B = a.batchSize;
  const history: EpochMetrics[] = [];
  let best: { f1: number; epoch: number; dev: DevScores; snapshot: Snapshot } | null = null;
  let stopped: TrainResult['stopped'] = 'epochs';

  for (let epoch = 1; epoch <= a.epochs; epoch++) {
    const started = performance.now();
    optimizer.learningRate = learningRateAt(baseRate, a.decay, epoch);
    const order = rng.permutation(enc.length);
    let lossSum = 0;
    let batches = 0;
    let lastProgress = started;
    // On the device the losses add up there and are read at progress points (which also keeps
    // the host from queueing steps far ahead of the device).
    const readLoss = async (): Promise<void> => {
      if (!session.onDevice) return;
      lossSum += await session.takeDeviceLoss();
      if (!Number.isFinite(lossSum)) diverged(lossSum, epoch);
    };
    for (let from = 0; from < enc.length; from += B) {
      if (a.signal?.aborted) break;
      const count = Math.min(B, enc.length - from);
      const loss = session.step(order, from, count);
      batches++;
      if (loss !== undefined) {
        lossSum += loss;
        if (!Number.isFinite(loss)) diverged(loss, epoch);
      }
      // Every PROGRESS_EVERY_MS (a display redraws from it: steps are synchronous between the
      // awaits below), and once at the end of the epoch's windows (dev scoring comes next).
      const last = from + count >= enc.length;
      if (a.onProgress) {
        const now = performance.now();
        if (now - lastProgress >= PROGRESS_EVERY_MS || last) {
          await readLoss();
          lastProgress = performance.now();
          a.onProgress(epoch, from + count, enc.length, lossSum / batches);
        }
      }
      if (batches % 50 === 0) {
        await readLoss();
        await nextTurn(); // let Ctrl-C and progress through
      }
    }
    await readLoss();
    const trainSeconds = (performance.now() - started) / 1000;
    if (a.signal?.aborted && batches * B < enc.length) {
      stopped = 'interrupted';
      break;
    }
    await session.syncParameters();
    await model.predictAsync(dev);
    const { precision, recall, f1 } = scoreDocuments(dev);
    const devScores = { precision, recall, f1 };
    const isBest = best === null || f1 > best.f1;
    const metrics: EpochMetrics = {
      epoch,
      loss: lossSum / Math.max(1, batches),
      learningRate: optimizer.learningRate,
      dev: devScores,
      seconds: (performance.now() - started) / 1000,
      windowsPerSecond: enc.length / trainSeconds,
      best: isBest,
    };
    history.push(metrics);
    if (isBest) best = { f1, epoch, dev: devScores, snapshot: snapshot(model) };
    await a.onEpoch?.(metrics, model);
    if (best && epoch - best.epoch >= a.patience) {
      stopped = 'early-stopping';
      break;
    }
  }
  if (best) restore(model, best.snapshot);
  if (!best) {
    const none = { precision: 0, recall: 0, f1: 0 };
    return { model, history, bestEpoch: 0, stopped, vectors: session.vectors, dev: none, devWithoutBias: none, devWithoutConsistency: none };
  }
  // The network's dev probabilities once, for choosing the transition weight and the temperature.
  const probs = await model.documentProbabilitiesAsync(dev);
  const chosen = chooseDecodingOn(model, a, dev, best.dev, probs);
  const tagged = await scoreAsTagged(chosen, dev, probs);
  // On the chosen model: the temperature calibrates its own decoder's probabilities (it leaves the tags, so dev F1, as they are).
  const calibration = fitModelTemperatureOn(chosen.model, dev, tagged.probs);
  const calibrated = chosen.model.withTemperature(calibration.temperature);
  return { model: calibrated, history, bestEpoch: best.epoch, stopped, vectors: session.vectors, dev: tagged.dev, devWithoutBias: chosen.withoutBias, devWithoutConsistency: chosen.withoutConsistency, calibration };
}


/**
 * Trains `count` networks one after the other (member i with memberSeed(seed, i)) and averages
 * them into one ensemble, whose transition weight and entity bias are chosen again on dev and
 * whose temperature is fitted to the averaged probabilities. Interrupted, it averages the
 * networks that have an epoch.
 */
async function trainMembers(args: TrainArgs, count: number, placement?: 'host' | 'device'): Promise<TrainResult> {
  const seed = args.seed ?? fixedDefault('seed');
  const results: TrainResult[] = [];
  const seeds: number[] = [];
  for (let i = 0; i < count && !(i > 0 && args.signal?.aborted); i++) {
    const member = { index: i + 1, count, seed: memberSeed(seed, i) };
    const onEpoch = args.onEpoch && ((m: EpochMetrics, model: WindowModel) => args.onEpoch!({ ...m, member }, model));
    const result = await train({ ...args, members: 1, seed: member.seed, onEpoch }, placement);
    // Interrupted before its first epoch: the first member's empty result, or the members so far.
    if (result.history.length === 0) {
      if (results.length === 0) return result;
      break;
    }
    // As saved (8-bit word rows...): the ensemble's dev choices are then those of the saved model.
    applyStoredPrecision(result.model);
    results.push(result);
    seeds.push(member.seed);
  }
  const first = results[0];
  const a = withDefaults(args, runtime().cores);
  const ensemble = WindowModel.ensemble(results.map((r) => r.model.withEntityBias(0)));
  const dev = copyDocuments(a.dev);
  const probs = await ensemble.documentProbabilitiesAsync(dev);
  ensemble.decodeTagsInto(dev, probs);
  const { precision, recall, f1 } = scoreDocuments(dev);
  const chosen = chooseDecodingOn(ensemble, a, dev, { precision, recall, f1 }, probs);
  const tagged = await scoreAsTagged(chosen, dev, probs);
  const calibration = fitModelTemperatureOn(chosen.model, dev, tagged.probs);
  const stopped = results.some((r) => r.stopped === 'interrupted') ? 'interrupted' : first.stopped;
  return {
    model: chosen.model.withTemperature(calibration.temperature),
    history: first.history,
    bestEpoch: first.bestEpoch,
    stopped,
    vectors: first.vectors,
    dev: tagged.dev,
    devWithoutBias: chosen.withoutBias,
    devWithoutConsistency: chosen.withoutConsistency,
    calibration,
    members: results.map((r, i) => ({ seed: seeds[i], bestEpoch: r.bestEpoch, epochs: r.history.length, stopped: r.stopped, dev: r.dev })),
  };
}

function diverged(loss: number, epoch: number): never {
  throw new NerError('E_TRAIN', `training diverged (loss ${loss}) in epoch ${epoch}`, { hint: 'lower the learning rate' });
}

/** Lets the event loop run (signals, timers, a page's rendering) between steps, in Node and in a browser. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => (typeof globalThis.setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}

/** Least time between two onProgress calls: often enough for a spinner to move smoothly. */
const PROGRESS_EVERY_MS = 50;

/**
 * Chooses on `dev` (the network's probabilities `probs`) the decoding settings asked for or
 * ('auto') the best of each grid: the weight of transition scores estimated on the training
 * tags (Viterbi only; TRANSITION_WEIGHTS), the entity bias (ENTITY_BIASES) and the
 * document-consistency weight (CONSISTENCY_WEIGHTS).
 */
function chooseDecodingOn(model: WindowModel, a: ResolvedTrainArgs, dev: Document[], bestDev: DevScores, probs: Float32Array): DecodingChoice {
  const transitions = a.decoder === 'viterbi' && a.transitionWeight !== 0;
  const biases = a.entityBias === 'auto' ? ENTITY_BIASES : [a.entityBias];
  const consistencies = a.consistency === 'auto' ? [0, ...CONSISTENCY_WEIGHTS] : [a.consistency];
  if (!transitions && biases.length === 1 && biases[0] === 0 && consistencies.length === 1 && consistencies[0] === 0) {
    return { model, dev: bestDev, withoutBias: bestDev, withoutConsistency: bestDev };
  }
  return chooseDecoding(model, dev, probs, {
    transitionScores: transitions ? Array.from(estimateTransitions(sentencesOf(a.train).map((s) => s.gold!), model.config.tags)) : undefined,
    weights: a.transitionWeight === 'auto' ? TRANSITION_WEIGHTS : [a.transitionWeight],
    biases,
    consistencies,
  });
}

interface Snapshot {
  tables: Float32Array[];
  W: Float32Array[];
  b: Float32Array[];
}

function snapshot(model: WindowModel): Snapshot {
  return {
    tables: model.tables.tables.map((t) => t.slice()),
    W: model.network.layers.map((l) => l.W.slice()),
    b: model.network.layers.map((l) => l.b.slice()),
  };
}

function restore(model: WindowModel, s: Snapshot): void {
  model.tables.tables.forEach((t, i) => t.set(s.tables[i]));
  model.network.layers.forEach((l, i) => {
    l.W.set(s.W[i]);
    l.b.set(s.b[i]);
  });
}

