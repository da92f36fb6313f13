/**
 * Issue 16, the out-of-fold teacher: a teacher's probabilities saved to a file and distilled
 * without the model. The file must read back exactly, a damaged or mismatched one must be
 * refused with a clear NerError, and training on a model's saved probabilities must be the
 * very training on the model.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyDocuments, sentencesOf, type Document } from '../../src/core/document/document.js';
import { NerError } from '../../src/core/errors.js';
import type { WindowModel } from '../../src/core/model/window-model.js';
import { decodeTeacherProbabilities, encodeTeacherProbabilities, type TeacherProbabilities } from '../../src/core/train/teacher-probabilities.js';
import { train } from '../../src/core/train/trainer.js';
import { useBackend } from '../../src/node/backend.js';
import { readLabeledDocuments } from '../../src/node/train-files.js';
import { runCli } from '../helpers/cli.js';
import { modelParameters, TINY_FIXTURE, TINY_NETWORK } from '../helpers/tiny-model.js';

const FIXTURE = TINY_FIXTURE;

const tiny = { ...TINY_NETWORK, dropout: 0.1, learningRate: 0.01, seed: 5 };

let documents: Document[];
let teacher: WindowModel;
let saved: TeacherProbabilities;


/** The saved probabilities with their columns in reverse order (the same teacher, stored otherwise). */
function reversed(p: TeacherProbabilities): TeacherProbabilities {
  const T = p.tags.length;
  const out = new Float32Array(p.probabilities.length);
  for (let i = 0; i < out.length / T; i++) for (let j = 0; j < T; j++) out[i * T + j] = p.probabilities[i * T + (T - 1 - j)];
  return { tags: [...p.tags].reverse(), probabilities: out };
}

describe('a teacher saved as its probabilities', () => {
  beforeAll(async () => {
    await useBackend('wasm');
    documents = await readLabeledDocuments(FIXTURE);
    teacher = (await train({ ...tiny, seed: 9, epochs: 6, patience: 6, train: documents, dev: documents })).model;
    saved = { tags: [...teacher.config.tags], probabilities: await teacher.documentProbabilitiesAsync(documents) };
  });

  it('reads back exactly what was written, header first', () => {
    const bytes = encodeTeacherProbabilities(saved);
    const back = decodeTeacherProbabilities(bytes, 'p.bin');
    expect(back.tags).toEqual(saved.tags);
    expect([...back.probabilities]).toEqual([...saved.probabilities]);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(0, bytes.indexOf(10))));
    expect(header).toMatchObject({ tags: saved.tags, tokens: sentencesOf(documents).reduce((n, s) => n + s.tokens.length, 0) });
  });

  it('refuses a cut file, another format and a value that is not a probability (E_FORMAT, naming the file)', () => {
    const bytes = encodeTeacherProbabilities(saved);
    const refuse = (b: Uint8Array, what: RegExp) => {
      const err = (() => {
        try {
          decodeTeacherProbabilities(b, 'p.bin');
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(NerError);
      expect((err as NerError).code).toBe('E_FORMAT');
      expect((err as NerError).message).toMatch(/^p\.bin is not a teacher-probabilities file/);
      expect((err as NerError).message).toMatch(what);
    };
    refuse(bytes.subarray(0, bytes.length - 4), /cut short/);
    refuse(new TextEncoder().encode('a O\nb O\n'), /no header line|not JSON/);
    const nan = bytes.slice();
    new DataView(nan.buffer).setFloat32(bytes.indexOf(10) + 1 + 8, Number.NaN, true);
    refuse(nan, /value 2 .* is NaN, not a probability/);
  });

  it.each([1, 2])('trains the very model that distilling the teacher model trains (%i threads), columns in any order', async (threads) => {
    const run = (extra: object) => train({ ...tiny, threads, epochs: 2, patience: 2, transitionWeight: 0, distillWeight: 0.6, train: documents, dev: documents, ...extra });
    const [fromModel, fromSaved, fromReversed] = [await run({ teacher }), await run({ teacherProbabilities: saved }), await run({ teacherProbabilities: reversed(saved) })];
    expect(modelParameters(fromSaved.model)).toEqual(modelParameters(fromModel.model));
    expect(modelParameters(fromReversed.model)).toEqual(modelParameters(fromModel.model));
    // Other probabilities train another model: the equalities above could fail.
    const flat = { tags: saved.tags, probabilities: saved.probabilities.map(() => 1 / saved.tags.length) };
    expect(modelParameters((await run({ teacherProbabilities: flat })).model)).not.toEqual(modelParameters(fromModel.model));
  });

  it('refuses probabilities of another token count or other tags, and two teachers', async () => {
    const short = { tags: saved.tags, probabilities: saved.probabilities.subarray(saved.tags.length) };
    const err = await train({ ...tiny, epochs: 1, teacherProbabilities: short, train: documents, dev: documents }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NerError);
    expect((err as NerError).message).toMatch(/teacher probabilities have (\d+) tokens' rows, the training data has (\d+) tokens/);
    const relabelled = copyDocuments(documents);
    for (const s of sentencesOf(relabelled)) s.gold = s.gold!.map((t) => t.replace('ORG', 'COMPANY'));
    await expect(train({ ...tiny, epochs: 1, teacherProbabilities: saved, train: relabelled, dev: relabelled })).rejects.toThrow(/probabilities' tags do not match the training data's: they lack B-COMPANY, I-COMPANY; have B-ORG, I-ORG/);
    await expect(train({ ...tiny, epochs: 1, teacher, teacherProbabilities: saved, train: documents, dev: documents })).rejects.toThrow(/teacher and teacherProbabilities are two teachers/);
  });

  it('ner train --teacher-probabilities FILE distils the file and records it; a file of another corpus is refused before training', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ner-teacher-file-'));
    writeFileSync(join(root, 'oof.probs'), encodeTeacherProbabilities(saved));
    const flags = ['--train', FIXTURE, '--dev', FIXTURE, '--vectors', 'none', '--features', 'word:8,casing:4', '--hidden', '16', '--epochs', '1', '--backend', 'wasm'];
    const run = await runCli('train', ...flags, '--out', join(root, 'student'), '--teacher-probabilities', join(root, 'oof.probs'), '--distill-weight', '0.7');
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(root, 'student', 'model.json'), 'utf8')).training.args).toMatchObject({ teacherFile: 'oof.probs', distillWeight: 0.7 });
    writeFileSync(join(root, 'other.probs'), encodeTeacherProbabilities({ tags: saved.tags, probabilities: saved.probabilities.subarray(0, 10 * saved.tags.length) }));
    const other = await runCli('train', ...flags, '--out', join(root, 'other'), '--teacher-probabilities', join(root, 'other.probs'));
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/10 tokens' rows, the training data has \d+ tokens/);
    expect(existsSync(join(root, 'other', 'model.json'))).toBe(false);
    const both = await runCli('train', ...flags, '--out', join(root, 'both'), '--teacher', join(root, 'student'), '--teacher-probabilities', join(root, 'oof.probs'));
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--teacher and --teacher-probabilities are two teachers/);
  });
});
