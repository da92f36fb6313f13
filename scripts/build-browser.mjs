// Builds the browser bundle: dist/browser/ner-window.js (one ES module, every dependency
// inlined, no Node built-in) and, beside it, the wasm backend's .wasm files, which the bundle
// looks for in its own folder by default (setWasmLocation points elsewhere).
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'dist/browser');
mkdirSync(out, { recursive: true });
const result = await build({
  entryPoints: [join(root, 'src/browser/index.ts')],
  outfile: join(out, 'ner-window.js'),
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: 'es2022',
  minify: true,
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
});
const nodeInputs = Object.keys(result.metafile.inputs).filter((i) => i.startsWith('node:'));
if (nodeInputs.length) throw new Error(`the browser bundle pulls in Node modules: ${nodeInputs.join(', ')}`);
const wasmDir = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json'));
for (const name of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
  copyFileSync(join(wasmDir, 'dist', name), join(out, name));
}
const mb = (p) => (statSync(p).size / 1e6).toFixed(2);
console.log(`browser bundle: dist/browser/ner-window.js ${mb(join(out, 'ner-window.js'))} MB, wasm files beside it`);
