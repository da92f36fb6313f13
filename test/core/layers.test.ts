/**
 * The core's folders form one pipeline, each layer importing only from layers below it, so
 * no import runs back up (or sideways between two folders of one layer). The order:
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const LAYERS: readonly (readonly string[])[] = [
  ['errors.ts', 'runtime.ts', 'util'], // foundation: errors, the platform interface, small utilities
  ['tags'], // tag grammar, schemes, chunk rules, spans
  ['document'], // the one document model
  ['text', 'corpus'], // raw text and CoNLL text into documents
  ['features'], // documents into feature ids and windows
  ['decode'], // greedy and Viterbi over tag probabilities
  ['model'], // embedding tables, the network, the window model
  ['eval'], // conlleval-exact scoring of documents
  ['report'], // HTML reports with SVG charts of scores and training
  ['storage'], // model bytes: pack, read, check
  ['train', 'tagger'], // training on documents; tagging text, tokens and documents
];
const CORE = resolve(import.meta.dirname, '../../src/core');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The top folder (or root file) of a path inside src/core. */
function unit(path: string): string {
  return relative(CORE, path).split('/')[0];
}

function layerOf(path: string): number {
  return LAYERS.findIndex((layer) => layer.includes(unit(path)));
}

/** `[specifier, typeOnly]` of each relative import or re-export of a file. */
function imports(text: string): [string, boolean][] {
  return [...text.matchAll(/^(?:import|export)(\s+type)?\b[^'"]*?from\s*'(\.[^']+)'/gm)].map((m) => [m[2], Boolean(m[1])]);
}

describe('the layers of the core', () => {
  const all = files(CORE).filter((f) => relative(CORE, f) !== 'index.ts');

  it('place every file of src/core in a layer (index.ts, the entry, imports all)', () => {
    expect(all.filter((f) => layerOf(f) < 0).map((f) => relative(CORE, f))).toEqual([]);
  });

  it('import only from the same folder or a lower layer', () => {
    const upward: string[] = [];
    for (const file of all) {
      for (const [spec, typeOnly] of imports(readFileSync(file, 'utf8'))) {
        const target = resolve(dirname(file), spec);
        if (unit(target) === unit(file)) continue;
        // The platform interface names the types it carries (vectors, model files, the step thread).
        if (typeOnly && unit(file) === 'runtime.ts') continue;
        if (layerOf(target) >= layerOf(file)) upward.push(`${relative(CORE, file)} -> ${relative(CORE, target)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('the rule sees an upward import (document importing a tagger type)', () => {
    const [[spec]] = imports("import type { Tagger } from '../tagger/tagger.js';\n");
    expect(layerOf(resolve(CORE, 'tagger', spec))).toBeGreaterThan(layerOf(join(CORE, 'document/document.ts')));
  });
});
