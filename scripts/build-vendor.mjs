// Bundles the TensorFlow.js packages Node needs into dist/vendor/ (tfjs-core, the cpu, wasm and
// webgpu backends, the .wasm binaries beside them), so that an installed ner-window depends on
// none of the tfjs packages: they install 65 MB and more (bundles for every platform, source
// maps, tests) for about 5 MB of code Node runs. Each backend bundle requires the one core
// bundle, so they share one TensorFlow.js engine, as the packages do: a webgpu backend
// registered on the packages' own core would be invisible to ours. (Dawn itself, the `webgpu`
// package, is native code: an optional peer dependency, not bundled.)
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'dist/vendor');
mkdirSync(out, { recursive: true });
const require = createRequire(import.meta.url);
// Inside the backend bundles, the core package is the core bundle beside them.
const sharedCore = {
  name: 'shared-core',
  setup(b) {
    b.onResolve({ filter: /^@tensorflow\/tfjs-core(\/.*)?$/ }, () => ({ path: './tfjs-core.cjs', external: true }));
  },
};
const bundles = [
  { name: 'tfjs-core.cjs', entry: require.resolve('@tensorflow/tfjs-core'), plugins: [] },
  { name: 'tfjs-backend-cpu.cjs', entry: require.resolve('@tensorflow/tfjs-backend-cpu'), plugins: [sharedCore] },
  { name: 'tfjs-backend-wasm.cjs', entry: require.resolve('@tensorflow/tfjs-backend-wasm'), plugins: [sharedCore] },
  { name: 'tfjs-backend-webgpu.cjs', entry: require.resolve('@tensorflow/tfjs-backend-webgpu'), plugins: [sharedCore] },
];
for (const { name, entry, plugins } of bundles) {
  await build({ entryPoints: [entry], outfile: join(out, name), bundle: true, platform: 'node', format: 'cjs', target: 'node20', minify: true, legalComments: 'linked', plugins, logLevel: 'warning' });
}
const wasmDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
for (const name of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) copyFileSync(join(wasmDir, name), join(out, name));
const total = bundles.reduce((n, b) => n + statSync(join(out, b.name)).size, 0);
console.log(`vendor bundles: dist/vendor/ ${(total / 1e6).toFixed(2)} MB of JavaScript, wasm files beside them`);
