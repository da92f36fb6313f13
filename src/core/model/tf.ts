/**
 * TensorFlow.js as the installed runtime provides it (see ../runtime.ts): the core never
 * loads it itself, so that Node can load it the fast way (CommonJS `require`) and a browser
 * bundle its ES modules. `tf` is a live binding: modules that import it see the runtime's
 * once it is installed; before that, using it is an error that says what is missing.
 */
import type * as TF from '@tensorflow/tfjs-core';
import { NerError } from '../errors.js';

const notInstalled = new Proxy({} as typeof TF, {
  get() {
    throw new NerError('E_BACKEND', 'TensorFlow.js is not set up: no runtime is installed', {
      hint: "import 'ner-window' (Node or browser build) before using 'ner-window/core', or call installRuntime",
    });
  },
});

export let tf: typeof TF = notInstalled;

/** Called by installRuntime. */
export function setTensorflow(module: typeof TF): void {
  tf = module;
}

export type { Tensor2D } from '@tensorflow/tfjs-core';
