/**
 * Issue 16: `members` (TrainArgs.members, `ner train --members`): several networks trained with
 * seeds S, S+1000, ... and averaged, 3 by default on a training set under 100,000 tokens.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { copyDocuments, tokenCount, type Document } from '../../src/core/document/document.js';
import { evaluateModel } from '../../src/core/eval/score.js';
import type { EpochMetrics } from '../../src/core/train/train-args.js';
import { AUTO_MEMBERS, memberCount, memberSeed, SMALL_TRAINING_TOKENS } from '../../src/core/train/members.js';
import { DEFAULT_FEATURES, withDefaults } from '../../src/core/train/options.js';
import { train } from '../../src/core/train/trainer.js';
import { useBackend } from '../../src/node/backend.js';
import { readLabeledDocuments } from '../../src/node/train-files.js';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/tiny-train.conll');
const tiny = {
  vectors: null,
  features: [{ name: 'word' as const, dim: 8 }, { name: 'casing' as const, dim: 4 }],
  hidden: [16],
  batchSize: 16,
  epochs: 3,
  learningRate: 0.01,
  seed: 7,
};
let documents: Document[];

/** A training set of `tokens` tokens: one document of ten-token sentences. */
function corpus(tokens: number): Document[] {
  const sentence = () => ({ tokens: Array.from({ length: 10 }, () => ({ text: 'w' })), gold: Array(10).fill('O') });
  return [{ sentences: Array.from({ length: tokens / 10 }, sentence) }];
}

describe('members: an ensemble trained by default on small data', () => {
  beforeAll(async () => {
    await useBackend('wasm');
    documents = await readLabeledDocuments(FIXTURE);
  });

  it('auto is 3 networks under 100,000 training tokens and 1 from there on (CoNLL-2003 train has 203,621)', () => {
    expect(withDefaults({ train: [], dev: [] }, 2).members).toBe('auto');
    const below = corpus(SMALL_TRAINING_TOKENS - 10);
    const at = corpus(SMALL_TRAINING_TOKENS);
    expect(tokenCount(below)).toBe(SMALL_TRAINING_TOKENS - 10);
    expect(memberCount('auto', below, DEFAULT_FEATURES)).toBe(AUTO_MEMBERS);
    expect(AUTO_MEMBERS).toBe(3);
    expect(memberCount('auto', at, DEFAULT_FEATURES)).toBe(1);
    expect(memberCount('auto', corpus(203_620), DEFAULT_FEATURES)).toBe(1);
    // A count given is kept, whatever the size.
    expect(memberCount(2, at, DEFAULT_FEATURES)).toBe(2);
    expect(memberCount(1, below, DEFAULT_FEATURES)).toBe(1);
  });

  it('a two-stage model (docpred) gets one network under auto; a count trains that many, averaged in both passes', async () => {
    const twoStage = [...DEFAULT_FEATURES, { name: 'docpred' as const, dim: 4 }];
    expect(memberCount('auto', corpus(100), twoStage)).toBe(1);
    expect(memberCount(2, corpus(100), twoStage)).toBe(2);
    // Given first-stage tags (the gold ones here) stand in for out-of-fold ones: no fold trainings.
    const features = [...tiny.features, { name: 'docpred' as const, dim: 4 }];
    const firstStage = { tags: documents.flatMap((d) => d.sentences.map((s) => s.gold!)) };
    const result = await train({ ...tiny, features, firstStage, members: 2, train: documents, dev: documents });
    expect(result.model.memberCount).toBe(2);
    expect(result.model.featureSet.usesFirstStage).toBe(true);
    // The returned dev scores are the ensemble's own, as it tags (both passes, its chosen decoding).
    const scored = await evaluateModel(result.model, copyDocuments(documents));
    expect(scored.f1).toBeCloseTo(result.dev.f1, 6);
  });

  it('a single two-stage network reports the dev scores of what it tags too (its first pass decoded with the chosen settings)', async () => {
    const features = [...tiny.features, { name: 'docpred' as const, dim: 4 }];
    const firstStage = { tags: documents.flatMap((d) => d.sentences.map((s) => s.gold!)) };
    // Entity bias and consistency chosen on dev: settings that change the first pass's tags.
    const result = await train({ ...tiny, features, firstStage, members: 1, entityBias: 'auto', consistency: 'auto', train: documents, dev: documents });
    expect(result.model.memberCount).toBe(1);
    expect(result.model.featureSet.usesFirstStage).toBe(true);
    const scored = await evaluateModel(result.model, copyDocuments(documents));
    expect(scored.f1).toBeCloseTo(result.dev.f1, 6);
  });

  it('member i has seed S + 1000 i, modulo 2^32', () => {
    expect([0, 1, 2].map((i) => memberSeed(1, i))).toEqual([1, 1001, 2001]);
    expect(memberSeed(0xffffffff, 1)).toBe(999);
  });

  it('refuses a count that is not an integer in [1, 100] or auto', async () => {
    for (const members of [0, 1.5, 101, 'three']) {
      await expect(train({ ...tiny, members: members as number, train: documents, dev: documents })).rejects.toThrow(/members must be an integer in \[1, 100\] or auto/);
    }
  });

  it('trains the members with their seeds, the first being the single model of the seed, and averages them', async () => {
    const seen: EpochMetrics[] = [];
    const ensemble = await train({ ...tiny, members: 2, train: documents, dev: documents, onEpoch: (m) => void seen.push(m) });
    const single = await train({ ...tiny, members: 1, train: documents, dev: documents });
    expect(ensemble.model.memberCount).toBe(2);
    expect(single.model.memberCount).toBe(1);
    expect(single.members).toBeUndefined();
    expect(ensemble.members!.map((m) => m.seed)).toEqual([7, 1007]);
    // Member 1 is the single model of seed 7: same epochs, same dev scores.
    expect(ensemble.members![0].dev).toEqual(single.dev);
    expect(ensemble.history).toEqual(single.history.map((m) => ({ ...m, seconds: expect.any(Number), windowsPerSecond: expect.any(Number) })));
    expect(ensemble.bestEpoch).toBe(single.bestEpoch);
    // Every epoch of both members is reported, with its member.
    const [one, two] = [{ index: 1, count: 2, seed: 7 }, { index: 2, count: 2, seed: 1007 }];
    expect(seen.map((m) => m.member)).toEqual([...Array(ensemble.members![0].epochs).fill(one), ...Array(ensemble.members![1].epochs).fill(two)]);
    // The returned dev scores are the ensemble's own, as it tags.
    const scored = await evaluateModel(ensemble.model, copyDocuments(documents));
    expect(scored.f1).toBeCloseTo(ensemble.dev.f1, 6);
    // The default on this fixture (a few hundred tokens): three networks.
    expect(tokenCount(documents)).toBeLessThan(SMALL_TRAINING_TOKENS);
    const auto = await train({ ...tiny, epochs: 1, train: documents, dev: documents });
    expect(auto.model.memberCount).toBe(3);
    expect(auto.members!.map((m) => m.seed)).toEqual([7, 1007, 2007]);
  });


  it('interrupted during a later member (Ctrl-C), it averages the members trained so far and trains no more', async () => {
    const stop = new AbortController();
    // Abort after member 2's first epoch: member 2 keeps that epoch, member 3 never starts.
    const onEpoch = (m: EpochMetrics) => void (m.member?.index === 2 && stop.abort());
    const result = await train({ ...tiny, members: 3, train: documents, dev: documents, signal: stop.signal, onEpoch });
    expect(result.model.memberCount).toBe(2);
    expect(result.members!.map((m) => m.seed)).toEqual([7, 1007]);
    expect(result.members![0].epochs).toBe(tiny.epochs);
    expect(result.members![1].epochs).toBe(1);
    const scored = await evaluateModel(result.model, copyDocuments(documents));
    expect(scored.f1).toBeCloseTo(result.dev.f1, 6);
  });
  it('ner train --members 2: says which network trains, saves the ensemble with each member in model.json, metrics.tsv of the first', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ner-members-')), 'model');
    const flags = ['--vectors', 'none', '--features', 'word:8,casing:4', '--hidden', '16', '--batch-size', '16', '--epochs', '2', '--backend', 'wasm', '--threads', '1', '--seed', '3'];
    const run = await runCli('train', '--train', FIXTURE, '--dev', FIXTURE, '--out', out, ...flags, '--members', '2');
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^member 1 of 2 \(seed 3\)$/m);
    expect(run.stderr).toMatch(/^member 2 of 2 \(seed 1003\)$/m);
    expect(run.stderr).toMatch(/^ensemble of 2: stopped: epochs;/m);
    const manifest = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    expect(manifest.config.members).toBe(2);
    expect(manifest.training.members.map((m: { seed: number }) => m.seed)).toEqual([3, 1003]);
    expect(manifest.training.members[0].epochs).toBe(2);
    expect(readFileSync(join(out, 'metrics.tsv'), 'utf8').trim().split('\n')).toHaveLength(1 + 2);
    const bad = await runCli('train', '--train', FIXTURE, '--dev', FIXTURE, '--out', `${out}-bad`, ...flags, '--members', '0');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--members must be an integer in \[1, 100\] or auto, got 0/);
  });
});
