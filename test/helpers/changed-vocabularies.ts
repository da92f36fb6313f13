import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../../src/core/util/sha256.js';

/**
 * Copies the model folder `from` to the new folder `to` with its vocabularies.json changed by
 * `change` and the manifest's size and checksum of it fixed, so that loading gets past the
 * file checks and meets the change itself. Returns `to`.
 */
export function withChangedVocabularies(from: string, to: string, change: (vocabs: Record<string, any>) => void): string {
  const manifest = JSON.parse(readFileSync(join(from, 'model.json'), 'utf8'));
  const vocabs = JSON.parse(readFileSync(join(from, 'vocabularies.json'), 'utf8'));
  change(vocabs);
  const bytes = new TextEncoder().encode(JSON.stringify(vocabs));
  manifest.vocabularies = { file: 'vocabularies.json', bytes: bytes.byteLength, sha256: sha256Hex(bytes) };
  mkdirSync(to);
  copyFileSync(join(from, 'weights.bin'), join(to, 'weights.bin'));
  writeFileSync(join(to, 'vocabularies.json'), bytes);
  writeFileSync(join(to, 'model.json'), JSON.stringify(manifest));
  return to;
}
