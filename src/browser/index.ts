/**
 * The package's browser entry (export condition `browser`): installs the browser runtime,
 * then exports the portable core and training in the page. Models load from URLs or bytes:
 *
 * @example
 * import { Tagger } from 'ner-window';
 * const tagger = await Tagger.load(new URL('models/conll2003-en/', location.href));
 * (await tagger.tag('Angela Merkel visited Paris.')).entities;
 */
import './runtime.js';

export * from '../core/index.js';
export { setWasmLocation } from './runtime.js';
export { trainModel, modelFiles, modelBytes, type BrowserTrainArgs, type BrowserTrainResult, type TrainedModel } from './train.js';
export { zipFiles, type NamedBytes } from './zip.js';
