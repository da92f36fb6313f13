/**
 * The default features follow the data: a training file without document boundaries (one
 * document) gets them without doccase, whose document-wide casing counts would there be
 * counted over the whole file (default-features.ts).
 */
import { describe, expect, it } from 'vitest';
import { defaultFeatures, withoutDocumentBoundaries } from '../../src/core/train/default-features.js';
import { DEFAULT_FEATURES } from '../../src/core/train/options.js';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/tiny-train.conll');
const sentence = () => ({ tokens: [{ text: 'Paris' }], gold: ['B-LOC'] });
const names = (features: readonly { name: string }[]) => features.map((f) => f.name);

describe('default features', () => {
  it('leave out doccase for one document of several sentences only', () => {
    const oneDocument = [{ sentences: [sentence(), sentence()] }];
    const documents = [{ sentences: [sentence(), sentence()] }, { sentences: [sentence()] }];
    expect(withoutDocumentBoundaries(oneDocument)).toBe(true);
    expect(withoutDocumentBoundaries(documents)).toBe(false);
    expect(withoutDocumentBoundaries([{ sentences: [sentence()] }])).toBe(false);
    expect(names(defaultFeatures(oneDocument))).toEqual(names(DEFAULT_FEATURES).filter((n) => n !== 'doccase'));
    expect(defaultFeatures(documents)).toEqual(DEFAULT_FEATURES);
    expect(names(DEFAULT_FEATURES)).toContain('doccase');
  });

  it('ner train: a file without -DOCSTART- trains without doccase unless --features says so; one with documents keeps it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ner-default-features-'));
    const noDocuments = join(dir, 'no-docstart.conll');
    writeFileSync(noDocuments, readFileSync(FIXTURE, 'utf8').replace(/^-DOCSTART-.*\n\n?/gm, ''));
    expect(readFileSync(noDocuments, 'utf8')).not.toMatch(/DOCSTART/);
    // The fixture is one -DOCSTART- document; twice over, it is two.
    const twoDocuments = join(dir, 'two-documents.conll');
    writeFileSync(twoDocuments, readFileSync(FIXTURE, 'utf8').repeat(2));
    const flags = ['--vectors', 'none', '--hidden', '8', '--batch-size', '16', '--epochs', '1', '--members', '1', '--backend', 'wasm', '--threads', '1'];
    const features = async (train: string, out: string, extra: string[] = []) => {
      const run = await runCli('train', '--train', train, '--dev', FIXTURE, '--out', join(dir, out), ...flags, ...extra);
      expect(run.code, run.stderr).toBe(0);
      return names(JSON.parse(readFileSync(join(dir, out, 'model.json'), 'utf8')).config.features);
    };
    expect(await features(noDocuments, 'a')).toEqual(names(DEFAULT_FEATURES).filter((n) => n !== 'doccase'));
    expect(await features(twoDocuments, 'b')).toEqual(names(DEFAULT_FEATURES));
    expect(await features(noDocuments, 'c', ['--features', 'word:8,doccase:4'])).toEqual(['word', 'doccase']);
  });
});
