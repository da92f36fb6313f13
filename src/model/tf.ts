/**
 * The one place the project imports TensorFlow.js from: the core and the reference CPU
 * backend (always there); wasm and the native TensorFlow backend are loaded on demand by
 * backend.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

export { tf };
