/** TensorFlow.js for the model's code: the installed runtime's (see ../runtime.ts), a live binding. */
export { tf } from '../runtime.js';
export type { Tensor2D } from '@tensorflow/tfjs-core';
