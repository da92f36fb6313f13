// Builds the browser bundle: dist/browser/ner-window.js (one ES module, every dependency
// inlined, the wasm backend's binaries too, no Node built-in) and, beside it, the .wasm files
// for pages that serve them themselves (setWasmLocation).
import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'dist/browser');
mkdirSync(out, { recursive: true });
const wasmDir = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json'));
const WASM = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];
// The plain and SIMD binaries go into the bundle as data URLs (the threaded one needs a
// cross-origin-isolated page and its worker script: it is only served beside the bundle).
const embedWasm = {
  name: 'embed-wasm',
  setup(b) {
    b.onLoad({ filter: /src[\\/]browser[\\/]wasm-files\.ts$/ }, () => {
      const files = Object.fromEntries(WASM.slice(0, 2).map((name) => [name, `data:application/wasm;base64,${readFileSync(join(wasmDir, 'dist', name)).toString('base64')}`]));
      return { contents: `export const WASM_FILES = ${JSON.stringify(files)};`, loader: 'ts' };
    });
  },
};
const result = await build({
  plugins: [embedWasm],
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
for (const name of WASM) {
  copyFileSync(join(wasmDir, 'dist', name), join(out, name));
}
const mb = (p) => (statSync(p).size / 1e6).toFixed(2);
console.log(`browser bundle: dist/browser/ner-window.js ${mb(join(out, 'ner-window.js'))} MB, wasm files beside it`);
