/** The CLI's wording for a model that is not found: the library speaks of arguments, the CLI of flags. */
import { NerError } from '../core/errors.js';
import { MODEL_NOT_FOUND_HINT } from '../node/storage/model-io.js';

const CLI_HINT = 'train one with `ner train`, or omit --model to use the bundled model (or give --model conll2003-en-ensemble)';

/** The message to print for `err`: a missing model's library hint replaced by the CLI's. */
export function cliMessage(err: NerError): string {
  return err.hint === MODEL_NOT_FOUND_HINT ? err.message.replace(`(${MODEL_NOT_FOUND_HINT})`, `(${CLI_HINT})`) : err.message;
}
