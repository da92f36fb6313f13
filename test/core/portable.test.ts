/**
 * The line between the portable core and the Node adapters: src/core imports no Node
 * built-in, no createRequire and nothing outside src/core, and `ner-window/core` bundles for
 * a browser with esbuild.
 */
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const CORE = join(ROOT, 'src/core');
const NODE_MODULES = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every module specifier a file imports or re-exports, statically or dynamically. */
function specifiers(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)(['"])([^'"]+)\1/gm)) found.push(m[2]);
  return found;
}

describe('the portable core', () => {
  const files = sourceFiles(CORE);

  it('has files to check', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('imports no Node built-in and does not use createRequire', () => {
    const offences: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const spec of specifiers(text)) if (NODE_MODULES.has(spec)) offences.push(`${relative(ROOT, file)} imports ${spec}`);
      if (/\bcreateRequire\b|\brequire\s*\(/.test(text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''))) offences.push(`${relative(ROOT, file)} uses require`);
    }
    expect(offences).toEqual([]);
  });

  it('imports nothing from the Node adapters or the CLI', () => {
    const offences: string[] = [];
    for (const file of files) {
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = resolve(file, '..', spec);
        if (!target.startsWith(CORE)) offences.push(`${relative(ROOT, file)} imports ${relative(ROOT, target)}`);
      }
    }
    expect(offences).toEqual([]);
  });

  it('the checks catch an offence (a Node import planted in a copy of a core file)', () => {
    const planted = `import { readFile } from 'node:fs';\n${readFileSync(join(CORE, 'errors.ts'), 'utf8')}`;
    expect(specifiers(planted).filter((s) => NODE_MODULES.has(s))).toEqual(['node:fs']);
  });

  it('bundles for a browser with esbuild (--platform=browser), with no node: import or createRequire', async () => {
    const result = await build({
      entryPoints: [join(CORE, 'index.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((i) => i.includes('src/core/tagger/tagger.ts'))).toBe(true);
    expect(inputs.filter((i) => i.startsWith('node:') || i.includes('src/node/') || i.includes('src/cli/'))).toEqual([]);
    const code = result.outputFiles[0].text;
    expect(code).not.toMatch(/\bcreateRequire\b/);
    expect(code).not.toMatch(/from\s*["']node:/);
  });

  it('esbuild refuses a browser bundle of the Node entry (the test can fail)', async () => {
    await expect(
      build({ entryPoints: [join(ROOT, 'src/index.ts')], bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent' }),
    ).rejects.toThrow(/node:|Could not resolve/);
  });
});
