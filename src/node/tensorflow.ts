/**
 * The one place Node loads TensorFlow.js from: the core and the reference CPU backend (always
 * there); wasm and the native TensorFlow backend are loaded on demand by backend.ts.
 *
 * They are CommonJS packages loaded with `require`: an ESM `import` of them makes Node scan
 * the whole 1 MB core for its export names, a quarter of `ner tag`'s start-up.
 */
import { createRequire } from 'node:module';
import type * as TF from '@tensorflow/tfjs-core';

const require = createRequire(import.meta.url);
export const tf = require('@tensorflow/tfjs-core') as typeof TF;
require('@tensorflow/tfjs-backend-cpu');
