/**
 * How many networks `train` averages into one model (TrainArgs.members), and the seed of each.
 * On small training sets one network's dev F1 swings with its seed (WNUT 2017, 62,730 tokens:
 * 41.78, 42.64, 43.65 for seeds 1-3) and an ensemble of a few costs little (a minute each), so
 * `auto` trains several there; on CoNLL-2003-sized data (203,621 tokens) it trains one, as before.
 */
import { tokenCount, type Document } from '../document/document.js';
import type { FeatureSpec } from '../features/token-features.js';

/** Training sets with fewer tokens than this get AUTO_MEMBERS networks under members 'auto'. */
export const SMALL_TRAINING_TOKENS = 100_000;

/** Networks `auto` averages on a small training set. */
export const AUTO_MEMBERS = 3;

/** Member i (0-based) is trained with seed `seed + MEMBER_SEED_STEP * i` (mod 2^32): member 1 is the single model of that seed. */
export const MEMBER_SEED_STEP = 1000;

/**
 * The number of networks to train: the given count, or for 'auto' AUTO_MEMBERS when the
 * training documents hold fewer than SMALL_TRAINING_TOKENS tokens and 1 otherwise. A two-stage
 * model (feature docpred) gets 1 under auto whatever the size: without given first-stage tags each
 * member trains its own out-of-fold first stage (k + 1 trainings), so several are asked for by count.
 *
 * @example
 * memberCount('auto', wnutTrain, features); // 3 (62,730 tokens)
 * memberCount('auto', conllTrain, features); // 1 (203,621 tokens)
 */
export function memberCount(members: number | 'auto', train: readonly Document[], features: readonly FeatureSpec[]): number {
  const twoStage = features.some((f) => f.name === 'docpred');
  if (members === 'auto') return !twoStage && tokenCount(train) < SMALL_TRAINING_TOKENS ? AUTO_MEMBERS : 1;
  return members;
}

/**
 * The seed of member `index` (0-based) of a training with `seed`.
 *
 * @example
 * memberSeed(1, 2); // 2001
 */
export function memberSeed(seed: number, index: number): number {
  return (seed + MEMBER_SEED_STEP * index) % 2 ** 32;
}
